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

/** qs's own defaults (arrayLimit 20, depth 5, 1000 parameters), as a plainly written server has them. */
const DEFAULT_OPTIONS = { strictNullHandling: true } as const;

export function parseQs(text: string, what: string, qsDefaults = false): QsObject {
  let parsed: QsObject;
  try {
    parsed = qs.parse(text, qsDefaults ? DEFAULT_OPTIONS : PARSE_OPTIONS);
  } catch (error) {
    throw badRequest(`${what} could not be parsed as a qs-encoded object: ${(error as Error).message}`);
  }
  if (qsDefaults) refuseIndexKeyedObjects(parsed, what);
  return parsed;
}

/**
 * Past arrayLimit qs yields an object with index keys where a list was sent; a server that
 * validates its input (Prisma, zod) refuses it rather than reading it as the list.
 */
function refuseIndexKeyedObjects(value: unknown, path: string): void {
  if (!isQsObject(value)) {
    if (Array.isArray(value)) {
      for (const [index, item] of value.entries()) refuseIndexKeyedObjects(item, `${path}[${index}]`);
    }
    return;
  }
  const keys = Object.keys(value);
  if (keys.length > 0 && keys.every((key) => /^(0|[1-9][0-9]*)$/.test(key))) {
    throw badRequest(
      `${path} must be a list, got an object with keys ${keys.slice(0, 3).join(', ')}...: lists hold at most 20 items`,
    );
  }
  for (const key of keys) refuseIndexKeyedObjects(value[key], `${path}.${key}`);
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
