import { DateTime } from 'luxon';

const NXLINK_LOCAL_TIME = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(\.\d{1,9})?$/;
const INSTANT_WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/i;

/**
 * Reads NXLink's offset-less local time (`2024-07-19T17:29:27`) in `zone` and returns the
 * instant as ISO 8601 UTC (`2024-07-19T17:29:27.000Z`). A local time skipped by a DST change is
 * moved forward by the gap; a repeated one resolves to its later, standard-time occurrence
 * (luxon's rules: the text alone cannot tell them apart).
 * Throws RangeError when the text is not such a local time.
 */
export function fromNxlinkTime(text: string, zone: string): string {
  if (!NXLINK_LOCAL_TIME.test(text)) {
    throw new RangeError('expected an offset-less local time like 2024-07-19T17:29:27');
  }
  const local = DateTime.fromISO(text.replace(' ', 'T'), { zone });
  if (!local.isValid) {
    throw new RangeError(`expected a valid calendar date and time read in zone ${zone}`);
  }
  return local.toUTC().toISO();
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
