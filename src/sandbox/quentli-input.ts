import { isIP } from 'node:net';
import { badRequest, QuentliError, type QuentliErrorDetail } from './quentli-errors.ts';
import type { QuentliCustomer } from './quentli-record.ts';

/** Checks a non-null value; answers what is wrong with it, or undefined. */
type Rule = (value: unknown) => string | undefined;

const nonBlank: Rule = (v) => (typeof v === 'string' && v.trim() !== '' ? undefined : 'must be a non-blank string');
const token: Rule = (v) =>
  typeof v === 'string' && /^\S{1,100}$/.test(v) ? undefined : 'must be 1 to 100 characters without spaces';
const email: Rule = (v) =>
  typeof v === 'string' && /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(v) ? undefined : 'must be a valid email address';
const e164: Rule = (v) =>
  typeof v === 'string' && /^\+[1-9][0-9]{7,14}$/.test(v)
    ? undefined
    : 'must be a phone number in E.164 format, like +525512345678';
const boolean: Rule = (v) => (typeof v === 'boolean' ? undefined : 'must be true or false');
const instant: Rule = (v) =>
  typeof v === 'string' && /^\d{4}-\d{2}-\d{2}T[0-9:.]+(Z|[+-]\d{2}:\d{2})$/.test(v) && !Number.isNaN(Date.parse(v))
    ? undefined
    : 'must be an ISO 8601 date-time with an offset, like 2025-01-15T10:30:00.000Z';
const password: Rule = (v) => (typeof v === 'string' && v.length >= 8 ? undefined : 'must be at least 8 characters');
const ip: Rule = (v) => (typeof v === 'string' && isIP(v) !== 0 ? undefined : 'must be an IPv4 or IPv6 address');
const object: Rule = (v) => (isObject(v) ? undefined : 'must be a JSON object');
const strings: Rule = (v) =>
  Array.isArray(v) && v.every((item) => nonBlank(item) === undefined)
    ? undefined
    : 'must be a list of non-blank strings';
const metadata: Rule = (v) =>
  Array.isArray(v) &&
  v.every(
    (item) =>
      isObject(item) &&
      Object.keys(item).every((key) => key === 'key' || key === 'value') &&
      nonBlank(item.key) === undefined &&
      typeof item.value === 'string',
  )
    ? undefined
    : 'must be a list of {"key": string, "value": string} entries';

const CREATE_RULES = new Map<string, Rule>([
  ['name', nonBlank],
  ['username', token],
  ['email', email],
  ['phoneNumber', e164],
  ['secondaryPhoneNumber', e164],
  ['acceptedServiceAgreement', boolean],
  ['skipTaxInvoice', boolean],
  ['assigneeId', nonBlank],
  ['optedOutWhatsappAt', instant],
  ['metadata', metadata],
  ['tags', strings],
]);

const UPDATE_RULES = new Map<string, Rule>([
  ...CREATE_RULES,
  ['password', password],
  ['tosIp', ip],
  ['signature', nonBlank],
  ['hasChangedPassword', boolean],
  ['phoneNumberVerified', boolean],
  ['emailVerified', boolean],
  ['replyWithAssistant', boolean],
  ['meta', object],
]);

/** Accepted on write but not stored as such: tags and assignees are other resources. */
const NOT_STORED = new Set(['tags', 'assigneeId', 'tosIp', 'password', 'signature']);

export function parseJsonBody(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw badRequest('The request body must be JSON');
  }
}

/** `{"input": {...}}` of POST /v1/customers, as the fields of the new record. */
export function readCreate(body: unknown): Partial<QuentliCustomer> {
  const details: QuentliErrorDetail[] = [];
  const input = envelope(body, details);
  if (input === undefined) throw validation(details);
  const values = check(input, CREATE_RULES, ['input'], details);
  if (input.name === undefined || input.name === null)
    details.push({ path: ['input', 'name'], message: 'name is required' });
  if (details.length > 0) throw validation(details);
  return recordFields(values, Date.now());
}

/** `{"input": {"data": {...}, "otp": "..."}}` of PATCH /v1/customers/{id}, as record changes. */
export function readUpdate(body: unknown): Partial<QuentliCustomer> {
  const details: QuentliErrorDetail[] = [];
  const input = envelope(body, details);
  if (input === undefined) throw validation(details);
  for (const key of Object.keys(input)) {
    if (key !== 'data' && key !== 'otp') details.push(unknownField(['input', key], 'data, otp'));
  }
  const { data, otp } = input;
  const hasOtp = otp !== undefined && otp !== null;
  if (hasOtp && nonBlank(otp) !== undefined)
    details.push({ path: ['input', 'otp'], message: 'otp must be a non-blank string' });
  if (!isObject(data)) {
    details.push({ path: ['input', 'data'], message: 'data is required and must be an object' });
    throw validation(details);
  }
  const values = check(data, UPDATE_RULES, ['input', 'data'], details);
  if (typeof values.get('password') === 'string' && !hasOtp) {
    details.push({ path: ['input', 'otp'], message: 'otp is required to change the password' });
  }
  if (details.length > 0) throw validation(details);
  return recordFields(values, Date.now());
}

function envelope(body: unknown, details: QuentliErrorDetail[]): Record<string, unknown> | undefined {
  if (!isObject(body)) {
    details.push({ path: [], message: 'The body must be a JSON object with an "input" object' });
    return undefined;
  }
  for (const key of Object.keys(body)) if (key !== 'input') details.push(unknownField([key], 'input'));
  if (!isObject(body.input)) {
    details.push({ path: ['input'], message: 'input is required and must be an object' });
    return undefined;
  }
  return body.input;
}

/** Every field checked against its rule; the values given, null included. */
function check(
  fields: Record<string, unknown>,
  rules: ReadonlyMap<string, Rule>,
  path: string[],
  details: QuentliErrorDetail[],
): Map<string, unknown> {
  const values = new Map<string, unknown>();
  for (const [key, value] of Object.entries(fields)) {
    const rule = rules.get(key);
    if (rule === undefined) {
      details.push(unknownField([...path, key], [...rules.keys()].join(', ')));
      continue;
    }
    const problem = value === null ? undefined : rule(value);
    if (problem !== undefined) details.push({ path: [...path, key], message: `${key} ${problem}` });
    else values.set(key, value);
  }
  return values;
}

/** Maps checked input onto the record: an explicit null clears, password and signature leave traces. */
function recordFields(values: ReadonlyMap<string, unknown>, now: number): Partial<QuentliCustomer> {
  const fields: Record<string, unknown> = {};
  for (const [key, value] of values) {
    if (NOT_STORED.has(key)) continue;
    if (key === 'metadata') fields.metadata = value ?? [];
    else if (key === 'optedOutWhatsappAt')
      fields.optedOutWhatsappAt = value === null ? null : new Date(String(value)).toISOString();
    else fields[key] = value;
  }
  if (typeof values.get('password') === 'string' && !values.has('hasChangedPassword')) fields.hasChangedPassword = true;
  if (typeof values.get('signature') === 'string') fields.signatureAcceptedAt = new Date(now).toISOString();
  return fields as Partial<QuentliCustomer>;
}

function unknownField(path: string[], expected: string): QuentliErrorDetail {
  return { path, message: `Unknown field "${path.at(-1) ?? ''}"; expected one of ${expected}` };
}

function validation(details: QuentliErrorDetail[]): QuentliError {
  const [first] = details;
  return new QuentliError(422, first === undefined ? 'Invalid input' : `Invalid input: ${first.message}`, details);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
