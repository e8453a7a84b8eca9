import { badRequest } from './quentli-errors.ts';
import { asList, isQsObject, shown } from './quentli-qs.ts';
import { compareText, type QuentliCondition, type QuentliEntry } from './quentli-store.ts';

/** Filters follow SQL (as Prisma does): a comparison with a null field is unknown, not false. */
type Truth = boolean | null;

type Field =
  | { kind: 'text'; read: (entry: QuentliEntry) => string | null }
  | { kind: 'instant'; read: (entry: QuentliEntry) => number | null };

const FIELDS = new Map<string, Field>([
  ['id', { kind: 'text', read: (e) => e.customer.id }],
  ['name', { kind: 'text', read: (e) => e.customer.name }],
  ['username', { kind: 'text', read: (e) => e.customer.username }],
  ['email', { kind: 'text', read: (e) => e.customer.email }],
  ['phoneNumber', { kind: 'text', read: (e) => e.customer.phoneNumber }],
  ['organizationId', { kind: 'text', read: (e) => e.customer.organizationId }],
  ['createdAt', { kind: 'instant', read: (e) => e.createdAtMs }],
  ['updatedAt', { kind: 'instant', read: (e) => e.updatedAtMs }],
  ['archivedAt', { kind: 'instant', read: (e) => e.archivedAtMs }],
]);

const FLAGS = new Map<string, (entry: QuentliEntry) => boolean>([
  ['noPayments', (e) => e.noPayments],
  ['archived', (e) => e.archivedAtMs !== null],
]);

const KEYS_HINT = `${[...FIELDS.keys(), ...FLAGS.keys()].join(', ')}, AND, OR, NOT`;
const OPERATORS = ['equals', 'in', 'notIn', 'contains', 'startsWith', 'endsWith', 'lt', 'lte', 'gt', 'gte', 'not'];
const RANGES = new Map<string, (comparison: number) => boolean>([
  ['lt', (c) => c < 0],
  ['lte', (c) => c <= 0],
  ['gt', (c) => c > 0],
  ['gte', (c) => c >= 0],
]);
const TEXT_ONLY = new Set(['contains', 'startsWith', 'endsWith']);

/** Compiles a parsed customerFilter; throws a 400 QuentliError naming what is wrong. */
export function compileFilter(raw: unknown, path = 'filter'): QuentliCondition {
  if (!isQsObject(raw)) {
    throw badRequest(`${path} must be an object such as name[contains]=ana, got ${shown(raw)}`);
  }
  const conditions = Object.entries(raw).map(([key, value]): QuentliCondition => {
    const at = `${path}.${key}`;
    if (key === 'AND') return and(filterList(value, at, true).map((f, i) => compileFilter(f, `${at}[${i}]`)));
    if (key === 'OR') return or(filterList(value, at, false).map((f, i) => compileFilter(f, `${at}[${i}]`)));
    // Prisma: every filter under NOT must be false.
    if (key === 'NOT') return and(filterList(value, at, true).map((f, i) => negate(compileFilter(f, `${at}[${i}]`))));
    const field = FIELDS.get(key);
    if (field !== undefined) return compileField(field, value, at, false);
    const flag = FLAGS.get(key);
    if (flag !== undefined) {
      const expected = parseBoolean(value, at);
      return (entry) => flag(entry) === expected;
    }
    throw badRequest(`Unknown filter field "${key}" at ${path}; expected one of ${KEYS_HINT}`);
  });
  return and(conditions);
}

/** AND and NOT also take a single filter object, as Prisma does; OR needs a list. */
function filterList(value: unknown, path: string, singleAllowed: boolean): unknown[] {
  const list = asList(value);
  if (list !== undefined) return list;
  if (singleAllowed && isQsObject(value)) return [value];
  throw badRequest(`${path} must be a list of filters, like ${path.split('.').pop()}[0][name][contains]=ana`);
}

/** A value compared with a field: the field's reader and the text folding of `mode`. */
interface Probe {
  read: (entry: QuentliEntry) => string | number | null;
  parse: (value: unknown, path: string) => string | number;
  compare: (a: string | number, b: string | number) => number;
}

function compileField(field: Field, raw: unknown, path: string, insensitive: boolean): QuentliCondition {
  if (!isQsObject(raw)) return equals(probe(field, insensitive), raw, path);
  const { mode, ...operators } = raw;
  if (mode !== undefined) {
    if (mode !== 'insensitive' && mode !== 'default') {
      throw badRequest(`${path}.mode must be "insensitive" or "default", got ${shown(mode)}`);
    }
    if (field.kind !== 'text') throw badRequest(`${path}.mode applies to text fields only`);
    if (Object.keys(operators).length === 0) {
      throw badRequest(`${path}.mode must stand beside an operator such as contains`);
    }
    insensitive = mode === 'insensitive';
  }
  const p = probe(field, insensitive);
  const conditions = Object.entries(operators).map(([operator, value]) => {
    const at = `${path}.${operator}`;
    if (!OPERATORS.includes(operator)) {
      throw badRequest(`Unknown operator "${operator}" at ${path}; expected one of ${OPERATORS.join(', ')} (and mode)`);
    }
    if (TEXT_ONLY.has(operator) && field.kind !== 'text') {
      throw badRequest(`${at}: ${operator} applies to text fields only`);
    }
    return operatorCondition(operator, field, p, value, at, insensitive);
  });
  if (conditions.length === 0) throw badRequest(`${path} names no operator; expected one of ${OPERATORS.join(', ')}`);
  return and(conditions);
}

function operatorCondition(
  operator: string,
  field: Field,
  p: Probe,
  value: unknown,
  path: string,
  insensitive: boolean,
): QuentliCondition {
  switch (operator) {
    case 'equals':
      return equals(p, value, path);
    case 'not':
      if (value === null) return (entry) => p.read(entry) !== null;
      return negate(isQsObject(value) ? compileField(field, value, path, insensitive) : equals(p, value, path));
    case 'in':
    case 'notIn': {
      const targets = valueList(value, path).map((item, i) => p.parse(item, `${path}[${i}]`));
      const found = (v: string | number) => targets.some((target) => p.compare(v, target) === 0);
      return compare(p, operator === 'in' ? found : (v) => !found(v));
    }
    case 'contains':
    case 'startsWith':
    case 'endsWith': {
      const target = String(p.parse(value, path));
      if (operator === 'contains') return compare(p, (v) => String(v).includes(target));
      if (operator === 'startsWith') return compare(p, (v) => String(v).startsWith(target));
      return compare(p, (v) => String(v).endsWith(target));
    }
    default: {
      const target = p.parse(value, path);
      const accepts = RANGES.get(operator) ?? (() => false);
      return compare(p, (v) => accepts(p.compare(v, target)));
    }
  }
}

function equals(p: Probe, value: unknown, path: string): QuentliCondition {
  if (value === null) return (entry) => p.read(entry) === null;
  const target = p.parse(value, path);
  return compare(p, (v) => p.compare(v, target) === 0);
}

function compare(p: Probe, test: (value: string | number) => boolean): QuentliCondition {
  return (entry) => {
    const value = p.read(entry);
    return value === null ? null : test(value);
  };
}

function probe(field: Field, insensitive: boolean): Probe {
  if (field.kind === 'instant') {
    return { read: field.read, parse: parseInstant, compare: (a, b) => Number(a) - Number(b) };
  }
  const fold = insensitive ? (text: string) => text.toLowerCase() : (text: string) => text;
  return {
    read: (entry) => {
      const value = field.read(entry);
      return value === null ? null : fold(value);
    },
    parse: (value, path) => {
      if (typeof value !== 'string') throw badRequest(`${path} must be a string, got ${shown(value)}`);
      return fold(value);
    },
    compare: (a, b) => compareText(String(a), String(b)),
  };
}

/** `in` and `notIn` take a list; a lone value (qs's "repeat" format with one item) is a list of one. */
function valueList(value: unknown, path: string): unknown[] {
  const list = asList(value) ?? (typeof value === 'string' ? [value] : undefined);
  if (list === undefined) throw badRequest(`${path} must be a list of values, like ${path}[0]=a&${path}[1]=b`);
  return list;
}

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

/** Dates compare as instants, so any offset is fine, but it must be there. */
function parseInstant(value: unknown, path: string): number {
  const ms = typeof value === 'string' && ISO_INSTANT.test(value) ? Date.parse(value) : Number.NaN;
  if (Number.isNaN(ms)) {
    throw badRequest(
      `${path} must be an ISO 8601 date-time with an offset, like 2025-01-15T10:30:00.000Z, got ${shown(value)}`,
    );
  }
  return ms;
}

function parseBoolean(value: unknown, path: string): boolean {
  if (value === 'true' || value === true) return true;
  if (value === 'false' || value === false) return false;
  throw badRequest(`${path} must be true or false, got ${shown(value)}`);
}

function and(conditions: QuentliCondition[]): QuentliCondition {
  if (conditions.length === 1 && conditions[0] !== undefined) return conditions[0];
  return (entry) => {
    let result: Truth = true;
    for (const condition of conditions) {
      const value = condition(entry);
      if (value === false) return false;
      if (value === null) result = null;
    }
    return result;
  };
}

function or(conditions: QuentliCondition[]): QuentliCondition {
  return (entry) => {
    let result: Truth = false;
    for (const condition of conditions) {
      const value = condition(entry);
      if (value === true) return true;
      if (value === null) result = null;
    }
    return result;
  };
}

function negate(condition: QuentliCondition): QuentliCondition {
  return (entry) => {
    const value = condition(entry);
    return value === null ? null : !value;
  };
}
