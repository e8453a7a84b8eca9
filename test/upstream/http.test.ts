import { describe, expect, it } from 'vitest';
import { parseRetryAfter } from '../../src/upstream/http.ts';

describe('reading Retry-After', () => {
  const now = Date.parse('2025-01-15T10:30:00.000Z');

  it('reads delta-seconds as milliseconds', () => {
    expect(parseRetryAfter('3', now)).toBe(3_000);
    expect(parseRetryAfter(' 0 ', now)).toBe(0);
  });

  it('reads an HTTP date as the milliseconds until then, never negative', () => {
    expect(parseRetryAfter('Wed, 15 Jan 2025 10:30:05 GMT', now)).toBe(5_000);
    expect(parseRetryAfter('Wed, 15 Jan 2025 10:29:00 GMT', now)).toBe(0);
  });

  it('answers undefined when the header is absent or unreadable', () => {
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
    expect(parseRetryAfter('', now)).toBeUndefined();
    expect(parseRetryAfter('soon', now)).toBeUndefined();
  });

  it('takes the first of repeated headers', () => {
    expect(parseRetryAfter(['2', '9'], now)).toBe(2_000);
  });
});
