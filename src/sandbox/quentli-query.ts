import { badRequest } from './quentli-errors.ts';
import { compileFilter } from './quentli-filter.ts';
import { compileOrderBy } from './quentli-order.ts';
import { asList, isQsObject, parseQs, shown } from './quentli-qs.ts';
import type { Quirks } from './quirks.ts';
import type { QuentliListQuery } from './quentli-store.ts';

const PARAMETERS = new Set(['filter', 'offset', 'limit', 'orderBy']);
const DEFAULT_LIMIT = 20;
const MAX_LIMIT = 100;

/**
 * Reads the query string of GET /v1/customers. `filter` and `orderBy` are qs-encoded objects:
 * either a parameter whose value is the qs text (`filter=name%5Bcontains%5D%3Dana`) or the same
 * keys nested in the query itself (`filter[name][contains]=ana`); both read the same.
 */
export function parseListQuery(rawQuery: string, quirks: Quirks): QuentliListQuery {
  const qsDefaults = quirks.has('qs-defaults');
  const params = parseQs(rawQuery, 'The query string', qsDefaults);
  for (const key of Object.keys(params)) {
    if (!PARAMETERS.has(key)) {
      throw badRequest(`Unknown query parameter "${key}"; expected filter, offset, limit or orderBy`);
    }
  }
  const query: QuentliListQuery = {
    offset: wholeNumber(params.offset, 'offset', 0, Number.MAX_SAFE_INTEGER, 0),
    limit: wholeNumber(params.limit, 'limit', 1, MAX_LIMIT, DEFAULT_LIMIT),
  };
  if (params.filter !== undefined) {
    const filter = nested(params.filter, 'filter', qsDefaults);
    query.where = compileFilter(filter, 'filter');
    const phoneNumbers = exactPhoneNumbers(filter);
    if (phoneNumbers !== undefined) query.phoneNumbers = phoneNumbers;
    const emails = exactEmails(filter);
    if (emails !== undefined) query.emails = emails;
    const createdAt = exactCreatedAt(filter);
    if (createdAt !== undefined) query.createdAtMs = createdAt;
  }
  if (params.orderBy !== undefined) {
    query.orderBy = compileOrderBy(nested(params.orderBy, 'orderBy', qsDefaults), quirks.has('one-sort-key'));
  }
  return query;
}

/**
 * The phone numbers of a filter that selects by exact phone at its top level (`phoneNumber[in]`
 * or `phoneNumber[equals]`, no other operator on it), each `+` and digits, for which text
 * comparison is plain equality; undefined for any other filter. The filter still decides.
 */
function exactPhoneNumbers(filter: unknown): string[] | undefined {
  if (!isQsObject(filter)) return undefined;
  const phone = filter.phoneNumber;
  if (!isQsObject(phone) || Object.keys(phone).length !== 1) return undefined;
  const values =
    phone.in !== undefined ? (asList(phone.in) ?? [phone.in]) : phone.equals !== undefined ? [phone.equals] : undefined;
  if (
    values === undefined ||
    !values.every((value): value is string => typeof value === 'string' && /^\+?[0-9]+$/.test(value))
  )
    return undefined;
  return values;
}

/**
 * The emails of a filter that selects by email equality, as the gateway's look-ups by email
 * send it: `email[equals]` at the top level, or an `OR` each of whose branches is one
 * (`mode` allowed); undefined for any other filter. Emails are unique regardless of case, so
 * the store finds the candidates by index; the filter still decides.
 */
function exactEmails(filter: unknown): string[] | undefined {
  if (!isQsObject(filter)) return undefined;
  if (filter.email !== undefined) {
    const email = emailEquality(filter.email);
    return email === undefined ? undefined : [email];
  }
  const branches = asList(filter.OR);
  if (branches === undefined) return undefined;
  const emails: string[] = [];
  for (const branch of branches) {
    const email = isQsObject(branch) ? emailEquality(branch.email) : undefined;
    if (email === undefined) return undefined;
    emails.push(email);
  }
  return emails;
}

/**
 * The instant of a filter that selects one `createdAt` (`createdAt=<instant>` or
 * `createdAt[equals]`), as the gateway's probe for rows tied with a page's last one sends it.
 */
function exactCreatedAt(filter: unknown): number | undefined {
  if (!isQsObject(filter)) return undefined;
  const condition = filter.createdAt;
  const value = isQsObject(condition) && Object.keys(condition).length === 1 ? condition.equals : condition;
  const ms = typeof value === 'string' ? Date.parse(value) : Number.NaN;
  return Number.isNaN(ms) ? undefined : ms;
}

function emailEquality(condition: unknown): string | undefined {
  if (!isQsObject(condition) || typeof condition.equals !== 'string') return undefined;
  return Object.keys(condition).every((operator) => operator === 'equals' || operator === 'mode')
    ? condition.equals
    : undefined;
}

function nested(value: unknown, name: string, qsDefaults: boolean): unknown {
  return typeof value === 'string' ? parseQs(value, name, qsDefaults) : value;
}

function wholeNumber(value: unknown, name: string, min: number, max: number, fallback: number): number {
  if (value === undefined) return fallback;
  const number = typeof value === 'string' && /^[0-9]+$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isSafeInteger(number) || number < min || number > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `>= ${min}` : `from ${min} to ${max}`;
    throw badRequest(`${name} must be a whole number ${range}, got ${shown(value)}`);
  }
  return number;
}
