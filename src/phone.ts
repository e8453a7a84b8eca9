import { z } from 'zod';

/**
 * E.164: `+`, country code and number, at most 15 digits. graphql-scalars' PhoneNumber also
 * takes numbers without a country code, so inputs check this rule on top of the scalar.
 */
export const e164 = z.string().regex(/^\+[1-9][0-9]{6,14}$/, 'must be an E.164 phone number, like +525512345678');

const SEPARATORS = /[\s().-]/g;
const COUNTRY_CODE_AND_NUMBER = /^[1-9][0-9]{6,14}$/;

/**
 * A phone number in E.164 (`+525512345678`) from the forms the upstreams document: NXLink's
 * bare digits with country code, E.164 (with spaces or dashes). Null for anything else (too
 * short, too long, letters, a leading 0): such text is served as the upstream wrote it, in a
 * raw field, and never used to link records.
 */
export function toE164(phone: string | null): string | null {
  if (phone === null) return null;
  const compact = phone.replace(SEPARATORS, '');
  const digits = compact.startsWith('+') ? compact.slice(1) : compact;
  return COUNTRY_CODE_AND_NUMBER.test(digits) ? `+${digits}` : null;
}

/**
 * Quentli's phone as E.164 when Quentli wrote it as one, with its `+`; else null. Quentli
 * documents its phones as "usually E.164": digits without the `+` may be a local number
 * (`5512345678`), and reading them as a country code would name another person.
 */
export function quentliE164(phone: string | null): string | null {
  if (phone === null || !phone.trimStart().startsWith('+')) return null;
  return toE164(phone);
}

/** NXLink's form of an E.164 number: the digits alone. */
export function toNxlinkPhone(e164: string): string {
  return e164.replace(/[^0-9]/g, '');
}
