import { timingSafeEqual } from 'node:crypto';

/**
 * String equality in time that does not depend on where the texts differ. Only the length can
 * show, as with any such comparison that does not hash first: two hashes per check were a tenth
 * of the sandbox's time answering a page's 47 NXLink look-ups, and the sandbox's secrets are
 * fixed development values.
 */
export function secretEquals(given: string, expected: string): boolean {
  const a = Buffer.from(given, 'utf8');
  const b = Buffer.from(expected, 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The token of an `Authorization: Bearer <token>` header (scheme case-insensitive). */
export function bearerToken(authorization: string | undefined): string | undefined {
  const match = /^Bearer +(\S+) *$/i.exec(authorization ?? '');
  return match?.[1];
}
