import { z } from 'zod';

/**
 * E.164: `+`, country code and number, at most 15 digits. graphql-scalars' PhoneNumber also
 * takes numbers without a country code, so inputs check this rule on top of the scalar.
 */
export const e164 = z
  .string()
  .regex(/^\+[1-9][0-9]{6,14}$/, 'must be an E.164 phone number, like +525512345678');

/**
 * A phone number in E.164 (`+525512345678`) from the forms the upstreams write: NXLink's bare
 * digits with country code, Quentli's E.164 (sometimes with spaces or dashes). Null stays null;
 * text with no digits is returned as it was, so nothing the upstream holds is hidden.
 */
export function toE164(phone: string | null): string | null {
  if (phone === null) return null;
  const digits = phone.replace(/[^0-9]/g, '');
  return digits === '' ? phone : `+${digits}`;
}

/** NXLink's form of an E.164 number: the digits alone. */
export function toNxlinkPhone(e164: string): string {
  return e164.replace(/[^0-9]/g, '');
}
