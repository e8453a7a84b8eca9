import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { fromNxlinkTime, toNxlinkTime } from '../../src/upstream/nxlink/time.ts';

describe("reading NXLink's offset-less timestamps", () => {
  it('reads them in UTC as the same wall time with Z', () => {
    expect(fromNxlinkTime('2024-07-19T17:29:27', 'UTC')).toBe('2024-07-19T17:29:27.000Z');
  });

  it('reads them in the configured zone, in and out of daylight saving time', () => {
    expect(fromNxlinkTime('2024-07-19T17:29:27', 'America/New_York')).toBe('2024-07-19T21:29:27.000Z');
    expect(fromNxlinkTime('2024-01-19T17:29:27', 'America/New_York')).toBe('2024-01-19T22:29:27.000Z');
    expect(fromNxlinkTime('2024-07-19T17:29:27', 'America/Mexico_City')).toBe('2024-07-19T23:29:27.000Z');
  });

  it('accepts a space between date and time, and fractions of a second', () => {
    expect(fromNxlinkTime('2024-07-19 17:29:27', 'UTC')).toBe('2024-07-19T17:29:27.000Z');
    expect(fromNxlinkTime('2024-07-19T17:29:27.5', 'UTC')).toBe('2024-07-19T17:29:27.500Z');
  });

  it('moves a local time skipped by DST forward and reads a repeated one as standard time', () => {
    expect(fromNxlinkTime('2024-03-10T02:30:00', 'America/New_York')).toBe('2024-03-10T07:30:00.000Z');
    expect(fromNxlinkTime('2024-11-03T01:30:00', 'America/New_York')).toBe('2024-11-03T06:30:00.000Z');
  });

  it('moves a time in a half-hour DST gap forward by the gap (Lord Howe Island)', () => {
    expect(fromNxlinkTime('2024-10-06T02:10:00', 'Australia/Lord_Howe')).toBe('2024-10-05T15:40:00.000Z');
  });

  it('keeps digits exact: leap days, early years, fractions beyond milliseconds dropped', () => {
    expect(fromNxlinkTime('2024-02-29T23:59:59.9999', 'UTC')).toBe('2024-02-29T23:59:59.999Z');
    expect(fromNxlinkTime('0052-02-29 00:00:00', 'UTC')).toBe('0052-02-29T00:00:00.000Z');
    expect(fromNxlinkTime('2024-07-19T17:29:27.05', 'UTC')).toBe('2024-07-19T17:29:27.050Z');
    expect(fromNxlinkTime('2024-07-19T17:29:27.007', 'UTC')).toBe('2024-07-19T17:29:27.007Z');
    expect(fromNxlinkTime('2024-07-19T17:29:27.123456789', 'UTC')).toBe('2024-07-19T17:29:27.123Z');
  });

  it('reads every instant of two centuries back exactly, leap days, early and five-digit years included', () => {
    // Every 997 hours and 1 ms from 1896 to 2104, and the days around each 29 February (1900
    // and 2100 have none, 2000 has one).
    const instants: number[] = [];
    for (let ms = Date.UTC(1896, 0, 1); ms < Date.UTC(2104, 0, 1); ms += 997 * 3_600_000 + 1) instants.push(ms);
    for (const year of [1896, 1900, 1904, 2000, 2024, 2096, 2100]) {
      for (const day of [28, 29, 30]) instants.push(Date.UTC(year, 1, day, 23, 59, 59, 999), Date.UTC(year, 1, day));
    }
    const differing = instants
      .map((ms) => new Date(ms).toISOString())
      .filter((text) => fromNxlinkTime(text.slice(0, 23), 'UTC') !== text);
    expect(differing).toEqual([]);
    expect(fromNxlinkTime('9999-12-31 23:59:59', 'America/Mexico_City')).toBe('+010000-01-01T05:59:59.000Z');
    expect(fromNxlinkTime('0000-01-01 00:00:00', 'Asia/Tokyo')).toBe('-000001-12-31T14:41:01.000Z');
  });

  // Zones and the offset changes they had in 2023 and 2024 (Mexico City stopped DST in 2022).
  it.each([
    ['America/New_York', 4],
    ['Europe/Berlin', 4],
    ['Australia/Lord_Howe', 4],
    ['Asia/Kathmandu', 0],
    ['America/Mexico_City', 0],
    ['UTC', 0],
  ] as const)(
    'reads every wall time of two years in %s back to an instant showing that wall time, the later one when it repeats',
    (zone, changes) => {
      const from = Date.UTC(2023, 0, 1);
      const to = Date.UTC(2025, 0, 1);
      const wall = (instant: number) => DateTime.fromMillis(instant, { zone }).toFormat("yyyy-MM-dd'T'HH:mm:ss.SSS");
      const offset = (instant: number) => DateTime.fromMillis(instant, { zone }).offset;
      const check = (instant: number) => {
        const text = wall(instant);
        const read = Date.parse(fromNxlinkTime(text, zone));
        if (wall(read) !== text || read < instant) {
          expect.fail(
            `${text} in ${zone} read as ${new Date(read).toISOString()}, expected ${new Date(instant).toISOString()} or a later reading of it`,
          );
        }
      };
      // Six-hour windows. Where the offset changes within a day of one, every 47 min 13.5 s of
      // it is read, a step that lands in every repeated or skipped hour more than once; away
      // from any change, one time per window (at a minute and second that drift from window to
      // window), since the offset there is the same all day.
      const WINDOW = 6 * 3_600_000;
      const DAY = 86_400_000;
      const STEP = 2_833_500;
      let found = 0;
      for (let start = from; start < to; start += WINDOW) {
        if (offset(start) !== offset(start + WINDOW)) found += 1;
        if (offset(start - DAY) === offset(start + WINDOW + DAY)) check(start + ((start / WINDOW) % 97) * 61_500);
        else {
          // The same points as a sweep of the whole period would read there.
          const first = from + Math.ceil((start - from) / STEP) * STEP;
          for (let instant = first; instant < start + WINDOW; instant += STEP) check(instant);
        }
      }
      expect(found).toBe(changes);
    },
  );

  it('refuses text with an offset, a date only, garbage or an impossible date', () => {
    for (const text of [
      '2024-07-19T17:29:27Z',
      '2024-07-19',
      'yesterday',
      '',
      '2024-02-30T10:00:00',
      '2023-02-29T10:00:00',
      '2024-07-19T24:00:00',
      '2024-07-19T17:60:00',
      '2024-13-01T00:00:00',
    ]) {
      expect(() => fromNxlinkTime(text, 'UTC'), text).toThrow(RangeError);
    }
  });
});

describe('writing instants as NXLink time', () => {
  it('writes YYYY-MM-DD HH:mm:ss in UTC', () => {
    expect(toNxlinkTime('2024-05-07T00:00:00.000Z', 'UTC')).toBe('2024-05-07 00:00:00');
  });

  it('writes the wall time of the configured zone, DST included', () => {
    expect(toNxlinkTime('2024-07-19T21:29:27Z', 'America/New_York')).toBe('2024-07-19 17:29:27');
    expect(toNxlinkTime('2024-01-19T22:29:27Z', 'America/New_York')).toBe('2024-01-19 17:29:27');
  });

  it('honours an explicit offset and drops fractions of a second', () => {
    expect(toNxlinkTime('2024-07-19T17:29:27.999+02:00', 'UTC')).toBe('2024-07-19 15:29:27');
  });

  it('round-trips with fromNxlinkTime', () => {
    const local = toNxlinkTime('2024-07-19T21:29:27.000Z', 'America/New_York');
    expect(fromNxlinkTime(local, 'America/New_York')).toBe('2024-07-19T21:29:27.000Z');
  });

  it('refuses a time without offset, which names no instant', () => {
    expect(() => toNxlinkTime('2024-07-19T17:29:27', 'UTC')).toThrow(RangeError);
    expect(() => toNxlinkTime('not a time', 'UTC')).toThrow(RangeError);
  });
});
