import { isInteger, parse, stringify } from 'lossless-json';

/**
 * NXLink writes 64-bit ids and cursors as bare JSON numbers above 2^53, which `JSON.parse`
 * silently rounds. Integers beyond the safe range therefore parse as bigint; every other number
 * stays a plain number so that ordinary fields keep their usual types.
 */
function parseNumber(text: string): number | bigint {
  const value = Number(text);
  return isInteger(text) && !Number.isSafeInteger(value) ? BigInt(text) : value;
}

/** Parses JSON text; integers outside ±(2^53 − 1) become bigint, digit-exact. Throws SyntaxError. */
export function parseJson64(text: string): unknown {
  return parse(text, null, parseNumber);
}

/** Writes JSON with bigint as bare digits, so 64-bit integers reach the upstream exactly. */
export function stringifyJson64(value: unknown): string {
  const text = stringify(value, refuseRoundedIntegers);
  if (text === undefined) {
    throw new TypeError('stringifyJson64 expected a JSON value, got nothing serializable');
  }
  return text;
}

function refuseRoundedIntegers(key: string, value: unknown): unknown {
  if (typeof value === 'number' && Number.isInteger(value) && !Number.isSafeInteger(value)) {
    throw new TypeError(
      `stringifyJson64: "${key}" is an integer beyond 2^53 held as a JS number, so its digits are already lost; pass it as a bigint`,
    );
  }
  return value;
}
