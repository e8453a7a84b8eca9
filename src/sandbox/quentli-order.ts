import { badRequest } from './quentli-errors.ts';
import { asList, isQsObject, shown } from './quentli-qs.ts';
import { compareText, type QuentliComparator, type QuentliEntry, type QuentliOrder } from './quentli-store.ts';

/** Ascending comparators; a null name sorts last ascending and so first descending. */
const ASCENDING = new Map<string, QuentliComparator>([
  ['createdAt', (a, b) => a.createdAtMs - b.createdAtMs],
  ['updatedAt', (a, b) => a.updatedAtMs - b.updatedAtMs],
  ['id', (a, b) => compareText(a.customer.id, b.customer.id)],
  ['name', (a, b) => compareNullsLast(a.customer.name, b.customer.name)],
]);

const FIELDS_HINT = [...ASCENDING.keys()].join(', ');

/**
 * Compiles a parsed customerOrderBy: one `{field: direction}` object or a list of them. Ties
 * left by the listed keys are broken by a hash of the id, never by id order: a client that
 * needs a total order must say `id` itself, as it must with the real API.
 */
export function compileOrderBy(raw: unknown, oneKeyOnly = false): QuentliOrder {
  const entries = asList(raw) ?? (isQsObject(raw) ? [raw] : undefined);
  if (entries === undefined) {
    throw badRequest(
      `orderBy must be an object like createdAt=desc or a list like orderBy[0][createdAt]=desc, got ${shown(raw)}`,
    );
  }
  if (oneKeyOnly && (entries.length > 1 || (isQsObject(entries[0]) && Object.keys(entries[0]).length > 1))) {
    throw badRequest('orderBy takes one field, like createdAt=desc');
  }
  const keys = entries.map((entry, i) => sortKey(entry, entries.length > 1 ? `orderBy[${i}]` : 'orderBy'));
  const compares = keys.map((key) => key.compare);
  return {
    key: keys.map((key) => key.key).join(','),
    compare: (a, b) => {
      for (const compare of compares) {
        const order = compare(a, b);
        if (order !== 0) return order;
      }
      return a.tieBreak - b.tieBreak || compareText(a.customer.id, b.customer.id);
    },
  };
}

function sortKey(entry: unknown, path: string): QuentliOrder {
  const pairs = isQsObject(entry) ? Object.entries(entry) : [];
  const [pair] = pairs;
  if (pair === undefined || pairs.length !== 1) {
    throw badRequest(`${path} must name exactly one field, like ${path}[createdAt]=desc`);
  }
  const [field, direction] = pair;
  const ascending = ASCENDING.get(field);
  if (ascending === undefined) {
    throw badRequest(`Unknown orderBy field "${field}" at ${path}; expected one of ${FIELDS_HINT}`);
  }
  if (direction === 'asc') return { key: `${field}:asc`, compare: ascending };
  if (direction === 'desc')
    return { key: `${field}:desc`, compare: (a: QuentliEntry, b: QuentliEntry) => ascending(b, a) };
  throw badRequest(`${path}.${field} must be "asc" or "desc", got ${shown(direction)}`);
}

function compareNullsLast(a: string | null, b: string | null): number {
  if (a === null || b === null) return a === b ? 0 : a === null ? 1 : -1;
  return compareText(a, b);
}
