/**
 * NXLink writes 64-bit ids and cursors as bare JSON numbers above 2^53, which `JSON.parse`
 * silently rounds. Integers beyond the safe range are therefore read as bigint, from their
 * source text; every other number stays a plain number so that ordinary fields keep their
 * usual types. Both directions use the native JSON functions (with `JSON.rawJSON` and the
 * reviver's `context.source` of Node 22 and newer): the exactness of a JavaScript parser such
 * as lossless-json, at about the native parser's speed.
 */

/** What `JSON.parse` passes a reviver as its third argument, for primitive values. */
interface ReviverContext {
  source?: string;
}

/** `JSON.rawJSON`, which the TypeScript library in use does not declare yet. */
const rawJson = (JSON as unknown as { rawJSON?: (text: string) => unknown }).rawJSON;
if (
  rawJson === undefined ||
  JSON.parse('1', (_key, value: unknown, context?: ReviverContext) => context?.source ?? value) !== '1'
) {
  throw new Error(
    `64-bit JSON needs the source-text access of JSON.parse (Node 22 or newer); this is Node ${process.version}`,
  );
}
const writeRaw = rawJson;

const INTEGER_TEXT = /^-?\d+$/;

function reviveInteger(_key: string, value: unknown, context?: ReviverContext): unknown {
  // Only a number that lost digits needs its source; `1e30` and `2.5` are no integers to keep.
  if (typeof value !== 'number' || Number.isSafeInteger(value) || !Number.isInteger(value)) return value;
  const source = context?.source;
  return source !== undefined && INTEGER_TEXT.test(source) ? BigInt(source) : value;
}

/**
 * The strings of a JSON text, and the integer literals of 16 digits or more outside them (the
 * only ones that can exceed 2^53), not part of a fraction or an exponent.
 */
const TOKENS = /"(?:[^"\\]|\\.)*"|(?<![\d.eE+-])-?\d{16,}(?![\d.eE])/g;
/** Starts the JSON string that stands for a large integer below. */
const MARK = '\u0000';
// biome-ignore lint/suspicious/noControlCharactersInRegex: NUL marks a digit string no JSON text can contain
const MARKED = /^\u0000-?\d+$/;

/**
 * Parses JSON text; integers outside ±(2^53 − 1) become bigint, digit-exact. Throws SyntaxError.
 *
 * A reviver takes V8 off its fast parser: an NXLink page parsed about 7x slower with one than
 * without. So each large integer is first written as a string holding a mark and its digits,
 * the text is parsed natively without a reviver, and the marked strings become bigints. A text
 * that already holds a string starting with the mark is parsed with the reviver instead, so
 * that no string of the upstream's can pass for an integer.
 */
export function parseJson64(text: string): unknown {
  let marked = false;
  let ambiguous = false;
  const rewritten = text.replace(TOKENS, (token) => {
    if (token.charCodeAt(0) === 34) {
      if (token.startsWith('"\\u0000')) ambiguous = true;
      return token;
    }
    if (Number.isSafeInteger(Number(token))) return token;
    marked = true;
    return `"\\u0000${token}"`;
  });
  if (ambiguous) return JSON.parse(text, reviveInteger);
  const value: unknown = JSON.parse(rewritten);
  return marked ? unmark(value) : value;
}

function unmark(value: unknown): unknown {
  if (typeof value === 'string') return value.startsWith(MARK) && MARKED.test(value) ? BigInt(value.slice(1)) : value;
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i += 1) value[i] = unmark(value[i]);
    return value;
  }
  const record = value as Record<string, unknown>;
  for (const key of Object.keys(record)) record[key] = unmark(record[key]);
  return record;
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
