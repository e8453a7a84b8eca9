/** What the doctor reports of a sample: counts and formats, never values. */

export function unreadableSummary(total: number, reports: readonly { fields: readonly string[] }[]): string {
  if (reports.length === 0) return `all ${total} records read`;
  const fields = [...new Set(reports.flatMap((report) => report.fields))].sort();
  return `${reports.length} of ${total} records with unreadable fields: ${fields.join(', ')}`;
}

/** The distinct forms of timestamp texts, like `Z with fractions`, `offset`, `no offset`. */
export function instantForms(values: readonly unknown[]): string[] {
  const forms = new Set<string>();
  for (const value of values) forms.add(formOf(value));
  return [...forms].sort();
}

function formOf(value: unknown): string {
  if (typeof value !== 'string') return `not text (${value === null ? 'null' : typeof value})`;
  const fraction = /:\d{2}[.,]\d+/.test(value) ? ' with fractions' : '';
  if (/Z$/.test(value)) return `Z${fraction}`;
  if (/z$/.test(value)) return `lowercase z${fraction}`;
  if (/[+-]\d{2}:?\d{2}$/.test(value)) return `offset${fraction}`;
  if (/^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}/.test(value)) return `no offset${fraction}`;
  return 'not ISO 8601';
}

/** The type each documented key of a record should have: `text` keys may hold any string. */
export type DocumentedShape = Readonly<Record<string, 'text' | 'boolean' | 'number' | 'list' | 'object'>>;

/**
 * How a sample of raw records departs from the documented shape, in counts and key names:
 * records missing documented keys, values of another JSON type (a number written as text), and
 * keys nobody documented. Empty when the records are exactly as documented.
 */
export function shapeDepartures(records: readonly Record<string, unknown>[], shape: DocumentedShape): string[] {
  let missing = 0;
  const retyped = new Set<string>();
  const unknown = new Set<string>();
  for (const record of records) {
    if (Object.keys(shape).some((key) => !(key in record))) missing += 1;
    for (const [key, value] of Object.entries(record)) {
      const expected = shape[key];
      if (expected === undefined) unknown.add(key);
      else if (value !== null && jsonType(value) !== expected && !(expected === 'text' && jsonType(value) === 'number'))
        retyped.add(key);
    }
  }
  return [
    missing > 0 ? `${missing} of ${records.length} records leave out documented keys` : '',
    retyped.size > 0 ? `other JSON types in ${[...retyped].sort().join(', ')}` : '',
    unknown.size > 0 ? `undocumented keys ${[...unknown].sort().join(', ')}` : '',
  ].filter((part) => part !== '');
}

function jsonType(value: unknown): string {
  if (Array.isArray(value)) return 'list';
  if (typeof value === 'bigint') return 'number';
  if (typeof value === 'string') return 'text';
  return typeof value;
}
