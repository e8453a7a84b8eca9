import { isCalendarDate, isClockTime } from './calendar.ts';
import { fromNxlinkTime } from './nxlink/time.ts';
import type { UpstreamSource } from './errors.ts';

/**
 * Lenient reading of upstream record fields. Each reader takes the raw JSON value and returns
 * what the gateway serves; a value it cannot read is null, and the field's name is pushed onto
 * `unreadable`, so the record says which of its fields are missing for that reason (the schema
 * answers those with a field error) and the page around it survives.
 *
 * Plain functions with an array the caller passes, not a schema library: they run for every
 * field of every record, and allocate nothing unless a value is unreadable.
 */

/** Field names (the gateway's, as in GraphQL) whose upstream value could not be read. */
export type Unreadable = readonly string[] | null;

/** Told once per record that had unreadable fields; never the values (personal data). */
export type UnreadableReporter = (report: {
  source: UpstreamSource;
  recordId: string;
  fields: readonly string[];
}) => void;

/** Text; a number is taken as its digits (NXLink documents several of them as strings). */
export function readText(value: unknown, field: string, unreadable: string[]): string | null {
  if (typeof value === 'string') return value;
  if (value === null || value === undefined) return null;
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  unreadable.push(field);
  return null;
}

/** A boolean; `"true"`/`"false"` and `1`/`0` (number or text) are unambiguous and read too. */
export function readFlag(value: unknown, field: string, unreadable: string[]): boolean | null {
  if (typeof value === 'boolean') return value;
  if (value === null || value === undefined || value === '') return null;
  if (value === 'true' || value === 'TRUE' || value === 'True' || value === 1 || value === '1') return true;
  if (value === 'false' || value === 'FALSE' || value === 'False' || value === 0 || value === '0') return false;
  unreadable.push(field);
  return null;
}

const INTEGER_TEXT = /^-?[0-9]{1,15}$/;

/** A small integer (a code such as gender or status); an integer written as text is read too. */
export function readInteger(value: unknown, field: string, unreadable: string[]): number | null {
  if (typeof value === 'number' && Number.isSafeInteger(value)) return value;
  if (value === null || value === undefined || value === '') return null;
  if (typeof value === 'string' && INTEGER_TEXT.test(value.trim())) return Number(value.trim());
  unreadable.push(field);
  return null;
}

const DIGITS = /^-?[0-9]{1,19}$/;

/**
 * A 64-bit integer that is not an id (a customer level, a tag group) as decimal digits: a
 * bigint or safe integer from parseJson64, or digits in text. Never a rounded double.
 */
export function readInt64Digits(value: unknown, field: string, unreadable: string[]): string | null {
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'number' && Number.isSafeInteger(value)) return String(value);
  if (value === null || value === undefined || value === '') return null;
  if (typeof value === 'string' && DIGITS.test(value.trim())) return BigInt(value.trim()).toString();
  unreadable.push(field);
  return null;
}

/** A list, or null when absent; anything else is unreadable. */
export function readList(value: unknown, field: string, unreadable: string[]): unknown[] | null {
  if (Array.isArray(value)) return value;
  if (value === null || value === undefined) return null;
  unreadable.push(field);
  return null;
}

/** A JSON object, or null when absent; anything else is unreadable. */
export function readObject(value: unknown, field: string, unreadable: string[]): Record<string, unknown> | null {
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value as Record<string, unknown>;
  if (value === null || value === undefined) return null;
  unreadable.push(field);
  return null;
}

/** The form the gateway serves, and what most upstream instants already are. */
const CANONICAL_INSTANT = /^\d{4}-\d{2}-\d{2}T(?:[01]\d|2[0-3]):[0-5]\d:[0-5]\d(?:\.\d{1,9})?Z$/;
/** Any ISO 8601 date and time: `T`, `t` or a space; seconds and fractions optional; an offset or none. */
const ANY_INSTANT =
  /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?(?:\s*([Zz]|[+-]\d{2}(?::?\d{2})?))?$/;
/** NXLink's documented form, the common case: read straight in the zone. */
const OFFSET_LESS = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?$/;

/**
 * An instant as ISO 8601 text, or undefined when `text` is not one. Text with `Z` or an offset
 * is read as written (the offset in the text wins); offset-less text is read in `zone`, or in
 * UTC without one. Text already in the canonical UTC form is returned as it is, so the same
 * record shows the same text however it is reached, and cursors send the exact value back.
 */
export function readInstantText(text: string, zone: string | undefined): string | undefined {
  if (CANONICAL_INSTANT.test(text)) return validDate(text) ? text : undefined;
  if (zone !== undefined && OFFSET_LESS.test(text)) return inZone(text, zone);
  const match = ANY_INSTANT.exec(text.trim());
  if (match === null) return undefined;
  const [, year, month, day, hour, minute, second = '00', fraction, offset] = match;
  const local = `${year}-${month}-${day}T${hour}:${minute}:${second}${fraction === undefined ? '' : `.${fraction}`}`;
  if (!validDate(local) || !isClockTime(Number(hour), Number(minute), Number(second))) return undefined;
  if (offset === undefined) return zone === undefined ? `${local}Z` : inZone(local, zone);
  const ms = Date.parse(`${local}${offset === 'z' ? 'Z' : offsetWithColon(offset)}`);
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
}

/** An optional instant: absent or empty is null; text that is not an instant is unreadable. */
export function readInstant(value: unknown, field: string, unreadable: string[], zone?: string): string | null {
  if (value === null || value === undefined || value === '') return null;
  const instant = typeof value === 'string' ? readInstantText(value, zone) : undefined;
  if (instant !== undefined) return instant;
  unreadable.push(field);
  return null;
}

function inZone(local: string, zone: string): string | undefined {
  try {
    return fromNxlinkTime(local, zone);
  } catch {
    return undefined;
  }
}

function offsetWithColon(offset: string): string {
  if (offset === 'Z') return 'Z';
  const digits = offset.slice(1).replace(':', '');
  return `${offset[0]}${digits.slice(0, 2)}:${digits.length > 2 ? digits.slice(2) : '00'}`;
}

/** The format allows 2025-02-30; only a date that exists passes. */
function validDate(text: string): boolean {
  return isCalendarDate(Number(text.slice(0, 4)), Number(text.slice(5, 7)), Number(text.slice(8, 10)));
}
