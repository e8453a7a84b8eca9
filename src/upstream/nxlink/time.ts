import { DateTime } from 'luxon';
import { isCalendarDate, isClockTime } from '../calendar.ts';
import { ZoneOffsets } from './zone-offsets.ts';

/** Fixed positions: the digits are read by where they stand (see wallClockMs). */
const NXLINK_LOCAL_TIME = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?$/;
const INSTANT_WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/i;

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;

/**
 * Reads NXLink's offset-less local time (`2024-07-19T17:29:27`) in `zone` and returns the
 * instant as ISO 8601 UTC (`2024-07-19T17:29:27.000Z`). A local time skipped by a DST change is
 * moved forward by the gap; a repeated one resolves to its later occurrence, in standard time.
 * Throws RangeError when the text is not such a local time.
 *
 * Every NXLink record carries two of these, so this is on the hot path: the zone's offsets are
 * looked up per UTC hour (see ZoneOffsets) rather than worked out with Intl for every time.
 */
export function fromNxlinkTime(text: string, zone: string): string {
  if (!NXLINK_LOCAL_TIME.test(text)) {
    throw new RangeError('expected an offset-less local time like 2024-07-19T17:29:27');
  }
  const local = wallClockMs(text);
  if (local === undefined) {
    throw new RangeError(`expected a valid calendar date and time read in zone ${zone}`);
  }
  return new Date(localToUtc(local, ZoneOffsets.of(zone))).toISOString();
}

/**
 * The wall-clock time of text that NXLINK_LOCAL_TIME matched, as if it were UTC; undefined for
 * a date or time that does not exist. Every record has two of these: the digits are read where
 * they stand, without a match array or a string per field.
 */
function wallClockMs(text: string): number | undefined {
  const year = digitsAt(text, 0, 4);
  const month = digitsAt(text, 5, 2);
  const day = digitsAt(text, 8, 2);
  const hour = digitsAt(text, 11, 2);
  const minute = digitsAt(text, 14, 2);
  const second = digitsAt(text, 17, 2);
  if (!isCalendarDate(year, month, day) || !isClockTime(hour, minute, second)) return undefined;
  // Milliseconds are the first three digits of the fraction (after the dot at 19); finer
  // digits are dropped.
  const fraction = Math.min(text.length - 20, 3);
  const millis = fraction > 0 ? digitsAt(text, 20, fraction) * 10 ** (3 - fraction) : 0;
  // Date.UTC reads years 0-99 as 1900-1999: those are built 400 years (146,097 days) later.
  if (year >= 100) return Date.UTC(year, month - 1, day, hour, minute, second, millis);
  return Date.UTC(year + 400, month - 1, day, hour, minute, second, millis) - 146_097 * DAY_MS;
}

/** The decimal number written by `count` ASCII digits of `text` from `at`. */
function digitsAt(text: string, at: number, count: number): number {
  let value = 0;
  for (let i = at; i < at + count; i++) value = value * 10 + text.charCodeAt(i) - 48;
  return value;
}

/**
 * The UTC instant of a wall-clock time in a zone. The offsets a day before and after are the
 * candidates (no zone changes its offset twice within two days): a candidate whose own offset
 * agrees is a reading of the time; of two, the later one is taken; of none, the time fell into
 * a gap and is moved forward by it.
 */
function localToUtc(local: number, offsets: ZoneOffsets): number {
  const before = offsets.at(local - DAY_MS);
  const after = offsets.at(local + DAY_MS);
  if (before === after) {
    // No change nearby, the common case (a change within the day is read as below).
    const utc = local - before * MINUTE_MS;
    if (offsets.at(utc) === before) return utc;
  }
  const readings = [...new Set([before, after])]
    .map((offset) => local - offset * MINUTE_MS)
    .filter((utc) => local - offsets.at(utc) * MINUTE_MS === utc);
  if (readings.length > 0) return Math.max(...readings);
  return local - Math.min(before, after) * MINUTE_MS;
}

/**
 * Writes an ISO 8601 instant (with `Z` or an offset) as NXLink's `YYYY-MM-DD HH:mm:ss` in
 * `zone`; fractions of a second are dropped. Throws RangeError for anything else.
 */
export function toNxlinkTime(isoInstant: string, zone: string): string {
  if (!INSTANT_WITH_OFFSET.test(isoInstant)) {
    throw new RangeError('expected an ISO 8601 instant with Z or an offset, like 2024-07-19T17:29:27Z');
  }
  const instant = DateTime.fromISO(isoInstant, { zone });
  if (!instant.isValid) {
    throw new RangeError('expected a valid ISO 8601 instant');
  }
  return instant.toFormat('yyyy-MM-dd HH:mm:ss');
}
