/**
 * JSON as NXLink reads and writes it: integers are exact at any size. Reading keeps every
 * integer written as digits (`5`, `1021110718827683840`) as a bigint, so that a field can insist
 * on an integer and tell `5` from `5.0` or `"5"`; writing puts bigints out as bare digits.
 * Both use the source-text additions of the native JSON functions (Node 22 and newer).
 */

/** What `JSON.parse` passes a reviver as its third argument, for primitive values. */
interface ReviverContext {
  source?: string;
}

/** `JSON.rawJSON`, which the TypeScript library in use does not declare yet. */
const { rawJSON } = JSON as unknown as { rawJSON: (text: string) => unknown };

const INTEGER_TEXT = /^-?\d+$/;

/** Parses JSON text with every integer as a bigint; other numbers stay numbers. Throws SyntaxError. */
export function parseWithIntegers(text: string): unknown {
  return JSON.parse(text, (_key, value: unknown, context?: ReviverContext) => {
    const source = context?.source;
    return typeof value === 'number' && source !== undefined && INTEGER_TEXT.test(source) ? BigInt(source) : value;
  });
}

/** Writes JSON with bigints as bare digits. */
export function stringifyWithIntegers(value: unknown): string {
  return (
    JSON.stringify(value, (_key, inner: unknown) => (typeof inner === 'bigint' ? rawJSON(inner.toString()) : inner)) ??
    'null'
  );
}
