/**
 * NXLink writes 64-bit ids and cursors as bare JSON numbers above 2^53, which `JSON.parse`
 * silently rounds. Integers beyond the safe range are therefore read as bigint, from their
 * source text; every other number stays a plain number so that ordinary fields keep their
 * usual types. Both directions use the native JSON functions with the source-text additions of
 * Node 22 and newer (the reviver's `context.source`, `JSON.rawJSON`): same exactness as a
 * JavaScript parser, at the native parser's speed.
 */

/** What `JSON.parse` passes a reviver as its third argument, for primitive values. */
interface ReviverContext {
  source?: string;
}

/** `JSON.rawJSON`, which the TypeScript library in use does not declare yet. */
const rawJson = (JSON as unknown as { rawJSON?: (text: string) => unknown }).rawJSON;
if (rawJson === undefined || JSON.parse('1', (_key, value: unknown, context?: ReviverContext) => context?.source ?? value) !== '1') {
  throw new Error(`64-bit JSON needs the source-text access of JSON.parse (Node 22 or newer); this is Node ${process.version}`);
}
const writeRaw = rawJson;

const INTEGER_TEXT = /^-?\d+$/;

function reviveInteger(_key: string, value: unknown, context?: ReviverContext): unknown {
  // Only a number that lost digits needs its source; `1e30` and `2.5` are no integers to keep.
  if (typeof value !== 'number' || Number.isSafeInteger(value) || !Number.isInteger(value)) return value;
  const source = context?.source;
  return source !== undefined && INTEGER_TEXT.test(source) ? BigInt(source) : value;
}

/** Parses JSON text; integers outside ±(2^53 − 1) become bigint, digit-exact. Throws SyntaxError. */
export function parseJson64(text: string): unknown {
  return JSON.parse(text, reviveInteger);
}

/** Writes JSON with bigint as bare digits, so 64-bit integers reach the upstream exactly. */
export function stringifyJson64(value: unknown): string {
  const text = JSON.stringify(value, writeInteger) as string | undefined;
  if (text === undefined) {
    throw new TypeError('stringifyJson64 expected a JSON value, got nothing serializable');
  }
  return text;
}

function writeInteger(key: string, value: unknown): unknown {
  if (typeof value === 'bigint') return writeRaw(value.toString());
  if (typeof value === 'number' && Number.isInteger(value) && !Number.isSafeInteger(value)) {
    throw new TypeError(
      `stringifyJson64: "${key}" is an integer beyond 2^53 held as a JS number, so its digits are already lost; pass it as a bigint`,
    );
  }
  return value;
}
