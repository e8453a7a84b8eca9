import { describe, expect, it } from 'vitest';
import { quentliE164, toE164 } from '../src/phone.ts';

describe('phones as the upstreams write them', () => {
  it("reads NXLink's digits with country code and E.164 with separators as E.164", () => {
    expect(toE164('525512345678')).toBe('+525512345678');
    expect(toE164('+52 55-1234-5678')).toBe('+525512345678');
    expect(toE164('+1 (415) 555.0100')).toBe('+14155550100');
  });

  it('gives null, never a guess, for text that is no international number', () => {
    for (const text of ['call me', '', '0155 1234 5678', '12345', '+1234567890123456', 'ext. 12']) {
      expect(toE164(text), text).toBeNull();
    }
    expect(toE164(null)).toBeNull();
  });

  it("reads Quentli's phone as E.164 only when Quentli wrote the +: digits alone may be a local number", () => {
    expect(quentliE164('+525512345678')).toBe('+525512345678');
    expect(quentliE164(' +52 55 1234 5678')).toBe('+525512345678');
    expect(quentliE164('5512345678')).toBeNull();
    expect(quentliE164('525512345678')).toBeNull();
    expect(quentliE164(null)).toBeNull();
  });
});
