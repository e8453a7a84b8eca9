import { describe, expect, it } from 'vitest';
import { isCalendarDate, isClockTime } from '../../src/upstream/calendar.ts';
import { int64OrUndefined } from '../../src/upstream/ids.ts';

describe('calendar checks (one home for the lenient reader and NXLink times)', () => {
  it('knows leap years: every fourth, not centuries, but every fourth century', () => {
    expect([2024, 2025, 1900, 2000].map((year) => isCalendarDate(year, 2, 29))).toEqual([true, false, false, true]);
  });

  it('refuses days past the end of the month, month 0 or 13 and day 0', () => {
    expect(isCalendarDate(2025, 4, 30)).toBe(true);
    expect(isCalendarDate(2025, 4, 31)).toBe(false);
    expect(isCalendarDate(2025, 12, 31)).toBe(true);
    expect(isCalendarDate(2025, 13, 1)).toBe(false);
    expect(isCalendarDate(2025, 0, 1)).toBe(false);
    expect(isCalendarDate(2025, 1, 0)).toBe(false);
  });

  it('takes clock times from 00:00:00 to 23:59:59 only', () => {
    expect(isClockTime(0, 0, 0)).toBe(true);
    expect(isClockTime(23, 59, 59)).toBe(true);
    expect(isClockTime(24, 0, 0)).toBe(false);
    expect(isClockTime(12, 60, 0)).toBe(false);
    expect(isClockTime(12, 0, 60)).toBe(false);
  });
});

describe('64-bit digits (one check for configuration and NXLink queries)', () => {
  it('reads 0 to 2^63 - 1 written in decimal digits', () => {
    expect(int64OrUndefined('0')).toBe(0n);
    expect(int64OrUndefined('9223372036854775807')).toBe(9_223_372_036_854_775_807n);
  });

  it('refuses 2^63, signs, blanks and more than 19 digits', () => {
    for (const text of ['9223372036854775808', '-1', '+1', '', ' 1', '1 ', '00000000000000000001', '1e3']) {
      expect(int64OrUndefined(text), text).toBeUndefined();
    }
  });
});
