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

/** Starts the JSON string that stands for a large integer below. */
const MARK = 0;
// biome-ignore lint/suspicious/noControlCharactersInRegex: NUL marks a digit string no JSON text can contain
const MARKED = /^\u0000-?\d+$/;
/** The escaped form of MARK that opens such a string in JSON text. */
const ESCAPED_MARK = '\\u0000';

/** Character codes the scan below looks for. */
const QUOTE = 34;
const BACKSLASH = 92;
const MINUS = 45;
const PLUS = 43;
const DOT = 46;
const LOWER_E = 101;
const UPPER_E = 69;

/**
 * Parses JSON text; integers outside ±(2^53 − 1) become bigint, digit-exact. Throws SyntaxError.
 *
 * A reviver takes V8 off its fast parser: a sandbox NXLink page of 21 records (20 KB) parses in
 * about 290 µs with one, 48 µs with JSON.parse alone, and 100 µs this way. So each large
 * integer is first written as a string holding a mark and its digits, the text is parsed
 * natively without a reviver, and the marked strings become bigints. A text that already holds
 * a string starting with the mark is parsed with the reviver instead, so that no string of the
 * upstream's can pass for an integer.
 */
export function parseJson64(text: string): unknown {
  const marked = markLargeIntegers(text);
  if (marked === undefined) return JSON.parse(text, reviveInteger);
  const value: unknown = JSON.parse(marked);
  if (marked === text) return value;
  if (typeof value === 'string') return unmarkText(value);
  if (typeof value === 'object' && value !== null) unmark(value);
  return value;
}

/**
 * `text` with each integer literal beyond 2^53 outside strings (not part of a fraction or an
 * exponent) written as a marked string; `text` itself when there is none; undefined when a
 * string of the text starts with the mark. Strings are skipped whole (to their closing quote),
 * so only the few characters between them are looked at one by one.
 */
function markLargeIntegers(text: string): string | undefined {
  let out = '';
  let copied = 0;
  let i = 0;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      if (text.startsWith(ESCAPED_MARK, i + 1)) return undefined;
      i = stringEnd(text, i + 1);
    } else if (isDigit(c) || c === MINUS) {
      let end = i + 1;
      let integer = true;
      for (; end < text.length; end++) {
        const d = text.charCodeAt(end);
        if (isDigit(d)) continue;
        if (d !== DOT && d !== LOWER_E && d !== UPPER_E && d !== PLUS && d !== MINUS) break;
        integer = false;
      }
      // 16 characters at least: 2^53 has 16 digits.
      if (integer && end - i >= 16) {
        const token = text.slice(i, end);
        if (!Number.isSafeInteger(Number(token))) {
          out += `${text.slice(copied, i)}"${ESCAPED_MARK}${token}"`;
          copied = end;
        }
      }
      i = end;
    } else {
      i += 1;
    }
  }
  return copied === 0 ? text : out + text.slice(copied);
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/** The index after the quote that closes the string whose text starts at `from`. */
function stringEnd(text: string, from: number): number {
  let quote = text.indexOf('"', from);
  while (quote !== -1) {
    let backslashes = 0;
    while (text.charCodeAt(quote - 1 - backslashes) === BACKSLASH) backslashes += 1;
    if (backslashes % 2 === 0) return quote + 1;
    quote = text.indexOf('"', quote + 1);
  }
  // Unterminated: JSON.parse will say so.
  return text.length;
}

function unmarkText(value: string): unknown {
  return value.charCodeAt(0) === MARK && MARKED.test(value) ? BigInt(value.slice(1)) : value;
}

/** Turns the marked strings in a parsed value back into bigints, in place. */
function unmark(value: object): void {
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i += 1) {
      const item: unknown = value[i];
      if (typeof item === 'string') {
        if (item.charCodeAt(0) === MARK) value[i] = unmarkText(item);
      } else if (typeof item === 'object' && item !== null) unmark(item);
    }
    return;
  }
  const record = value as Record<string, unknown>;
  // A parsed object has no inherited enumerable keys, and for-in walks it without a key array.
  for (const key in record) {
    const item = record[key];
    if (typeof item === 'string') {
      if (item.charCodeAt(0) === MARK) record[key] = unmarkText(item);
    } else if (typeof item === 'object' && item !== null) unmark(item);
  }
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
