/**
 * What an upstream's own ids look like. A global id is client input: its inner id is checked
 * against these before it reaches any upstream call, so nothing else is ever sent as an id.
 */

/**
 * Quentli ids are cuids (`cmab12cd3000x1a2b3c4d5e6f`): a lowercase letter, then lowercase
 * letters and digits. The length is left loose (cuid2 ids are 24 characters by default and may
 * be configured between 2 and 32), the alphabet is not.
 */
const QUENTLI_ID = /^[a-z][0-9a-z]{1,31}$/;

export function isQuentliId(id: string): boolean {
  return QUENTLI_ID.test(id);
}

/** NXLink ids are positive signed 64-bit integers, as decimal digits without leading zeros. */
const NXLINK_ID = /^[1-9]\d{0,18}$/;
export const INT64_MAX = 2n ** 63n - 1n;

export function isNxlinkId(id: string): boolean {
  return NXLINK_ID.test(id) && BigInt(id) <= INT64_MAX;
}

/**
 * A signed 64-bit integer written as decimal digits (zero or more, at most 2^63 - 1), as NXLink
 * takes tenant ids and cursors; undefined for anything else. The one check of such digits, for
 * the configuration and for the NXLink client.
 */
export function int64OrUndefined(digits: string): bigint | undefined {
  if (!/^[0-9]{1,19}$/.test(digits)) return undefined;
  const value = BigInt(digits);
  return value <= INT64_MAX ? value : undefined;
}
