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
