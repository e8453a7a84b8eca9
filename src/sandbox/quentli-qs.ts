import qs from 'qs';
import { badRequest } from './quentli-errors.ts';

export type QsObject = { [key: string]: unknown };

/**
 * qs's defaults silently reshape large input: 20+ array items become an index-keyed object and
 * over 1000 parameters are dropped. Limits here are generous, and whatever still exceeds the
 * depth is refused rather than misread. `strictNullHandling` makes a bare `archivedAt` mean
 * null, while `archivedAt=` stays an empty string.
 */
const PARSE_OPTIONS = {
  depth: 10,
  strictDepth: true,
  arrayLimit: 1000,
  parameterLimit: Infinity,
  strictNullHandling: true,
} as const;

export function parseQs(text: string, what: string): QsObject {
  try {
    return qs.parse(text, PARSE_OPTIONS);
  } catch (error) {
    throw badRequest(`${what} could not be parsed as a qs-encoded object: ${(error as Error).message}`);
  }
}

export function isQsObject(value: unknown): value is QsObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * qs yields arrays up to arrayLimit and index-keyed objects beyond it (or when indexes are
 * sparse); both are the same list. Anything else is not a list: undefined.
 */
export function asList(value: unknown): unknown[] | undefined {
  if (Array.isArray(value)) return value;
  if (!isQsObject(value)) return undefined;
  const keys = Object.keys(value);
  if (keys.length === 0 || !keys.every((key) => /^(0|[1-9][0-9]*)$/.test(key))) return undefined;
  return keys.sort((a, b) => Number(a) - Number(b)).map((key) => value[key]);
}

/** How a value looked on the wire, for error messages. */
export function shown(value: unknown): string {
  if (value === null) return 'null (a bare key without "=")';
  if (typeof value === 'string') return JSON.stringify(value);
  return Array.isArray(value) ? 'a list' : 'an object';
}
