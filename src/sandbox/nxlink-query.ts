import { DateTime } from 'luxon';
import { parseWithIntegers } from './json-integers.ts';
import { NxlinkError } from './nxlink-reply.ts';
import type { CursorRequest } from './nxlink-paging.ts';
import { PHONE_FIELDS, type NxlinkCondition, type NxlinkEntry, type NxlinkPhone } from './nxlink-store.ts';

export interface NxlinkQuery {
  where?: NxlinkCondition;
  cursor: CursorRequest;
  /** A phone the customers must have, when the query names one: the store looks it up by index. */
  phone?: NxlinkPhone;
}

export interface NxlinkTenant {
  tenantId: bigint;
  appKey: string;
}

type Body = Record<string, unknown>;
type Reader = (body: Body, conditions: NxlinkCondition[]) => void;

const MAX_LIMIT = 50;
const CORE_KEYS = new Set(['tenant_id', 'app_key', 'limit', 'after', 'before']);

/** The optional filters, AND-ed; each checks its own parameter. */
const READERS = new Map<string, Reader>([
  [
    'name',
    (body, to) => {
      const name = text(body, 'name')?.toLowerCase();
      if (name !== undefined) to.push((e) => e.fullName?.includes(name) === true);
    },
  ],
  [
    'email',
    (body, to) => {
      const email = text(body, 'email')?.toLowerCase();
      if (email !== undefined) to.push((e) => e.email === email);
    },
  ],
  ['whatsApp_phone', phone('whatsApp_phone', (e) => e.customer.whatsApp_phone)],
  ['sms_phone', phone('sms_phone', (e) => e.customer.sms_phone)],
  ['viber_phone', phone('viber_phone', (e) => e.customer.viber_phone)],
  [
    'start_time',
    (body, to) => {
      const start = localTime(body, 'start_time');
      if (start !== undefined) to.push((e) => e.createdAt >= start);
    },
  ],
  [
    'end_time',
    (body, to) => {
      const end = localTime(body, 'end_time');
      if (end !== undefined) to.push((e) => e.createdAt < end);
    },
  ],
  ['tags', (body, to) => tagCondition(body, 'tags', to)],
  ['his_tags', (body, to) => tagCondition(body, 'his_tags', to)],
  ['tags_logic_type', (body) => logic(body)],
  [
    'source_type',
    (body, to) => {
      const type = integer(body.source_type, 'source_type', true);
      if (type < 0n || type > 15n) throw bad('source_type must be an integer from 0 to 15');
      to.push((e) => e.customer.source_type === Number(type));
    },
  ],
  [
    'source_channel_key',
    (body, to) => {
      const key = text(body, 'source_channel_key');
      if (key !== undefined) to.push((e) => e.customer.source_channel_key === key);
    },
  ],
]);

/**
 * Reads the query body. Integers are read exactly and must be bare JSON numbers: the
 * tenant id and cursors exceed 2^53, and a quoted number is refused as NXLink refuses it.
 * Unknown parameters are refused too, so a misspelt filter (`whatsapp_phone` for
 * `whatsApp_phone`) fails loudly instead of silently matching everyone.
 */
export function parseNxlinkQuery(bodyText: string, tenant: NxlinkTenant): NxlinkQuery {
  const body = parseBody(bodyText);
  for (const key of Object.keys(body)) {
    if (!READERS.has(key) && !CORE_KEYS.has(key)) {
      throw bad(`Unknown parameter "${key}"; expected one of ${[...CORE_KEYS, ...READERS.keys()].join(', ')}`);
    }
  }
  const tenantId = integer(body.tenant_id, 'tenant_id', true);
  if (tenantId !== tenant.tenantId) throw bad('tenant_id does not match the tenant of this accessKey');
  if (typeof body.app_key !== 'string' || body.app_key === '') throw bad('app_key is required and must be a string');
  if (body.app_key !== tenant.appKey) throw bad('app_key does not belong to this tenant');
  const conditions: NxlinkCondition[] = [];
  for (const [key, read] of READERS) if (body[key] !== undefined && body[key] !== null) read(body, conditions);
  // Checked by its reader above: digits. `where` still holds its condition too.
  const phoneField = PHONE_FIELDS.find((field) => typeof body[field] === 'string' && body[field] !== '');
  const phone = phoneField === undefined ? undefined : { field: phoneField, digits: body[phoneField] as string };
  return { where: all(conditions), cursor: cursor(body), ...(phone === undefined ? {} : { phone }) };
}

function cursor(body: Body): CursorRequest {
  const limit = integer(body.limit, 'limit', true);
  if (limit < 1n || limit > BigInt(MAX_LIMIT)) throw bad(`limit must be an integer from 1 to ${MAX_LIMIT}`);
  const after = integer(body.after, 'after', false);
  const before = integer(body.before, 'before', false);
  if (after !== undefined && before !== undefined) throw bad('after and before cannot both be given');
  for (const [name, value] of [
    ['after', after],
    ['before', before],
  ] as const) {
    if (value !== undefined && value < 0n) throw bad(`${name} must not be negative`);
  }
  return {
    limit: Number(limit),
    ...(after === undefined ? {} : { after }),
    ...(before === undefined ? {} : { before }),
  };
}

function parseBody(text: string): Body {
  let body: unknown;
  try {
    body = parseWithIntegers(text);
  } catch (error) {
    throw bad(`The body must be JSON: ${(error as Error).message}`);
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw bad('The body must be a JSON object');
  return body as Body;
}

function integer(value: unknown, name: string, required: true): bigint;
function integer(value: unknown, name: string, required: false): bigint | undefined;
function integer(value: unknown, name: string, required: boolean): bigint | undefined {
  if (value === undefined || value === null) {
    if (required) throw bad(`${name} is required`);
    return undefined;
  }
  if (typeof value === 'string')
    throw bad(`${name} must be a JSON integer, not a string: write ${name}: 123, not "123"`);
  if (typeof value !== 'bigint') throw bad(`${name} must be a JSON integer`);
  return value;
}

/** Optional strings: an empty string means "not selected", as NXLink's own forms send it. */
function text(body: Body, name: string): string | undefined {
  const value = body[name];
  if (typeof value !== 'string') throw bad(`${name} must be a string`);
  return value === '' ? undefined : value;
}

function phone(name: string, read: (entry: NxlinkEntry) => string | null): Reader {
  return (body, to) => {
    const digits = text(body, name);
    if (digits === undefined) return;
    if (!/^[0-9]+$/.test(digits))
      throw bad(`${name} must be digits with the country code and no "+", like 525512345678`);
    to.push((e) => read(e) === digits);
  };
}

function localTime(body: Body, name: string): string | undefined {
  const value = text(body, name);
  if (value === undefined) return undefined;
  const valid =
    /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/.test(value) &&
    DateTime.fromFormat(value, 'yyyy-MM-dd HH:mm:ss', { zone: 'utc' }).isValid;
  if (!valid) throw bad(`${name} must be a time like 2024-05-07 00:00:00 (YYYY-MM-DD HH:mm:ss)`);
  return value;
}

function logic(body: Body): 'and' | 'or' {
  const value = body.tags_logic_type;
  if (value === undefined || value === null || value === '' || value === 'or') return 'or';
  if (value === 'and') return 'and';
  throw bad('tags_logic_type must be "and", "or" or ""');
}

/** his_tags are historical tags; the sandbox keeps no history, so they match current tags. */
function tagCondition(body: Body, name: 'tags' | 'his_tags', to: NxlinkCondition[]): void {
  const value = body[name];
  if (!Array.isArray(value)) throw bad(`${name} must be an array of {"id": <integer>, "tag_name": "..."}`);
  const ids = value.map((tag, i) => tagId(tag, `${name}[${i}]`));
  if (ids.length === 0) return;
  const every = logic(body) === 'and';
  to.push((e) => (every ? ids.every((id) => e.tagIds.has(id)) : ids.some((id) => e.tagIds.has(id))));
}

function tagId(tag: unknown, path: string): bigint {
  if (typeof tag !== 'object' || tag === null || Array.isArray(tag))
    throw bad(`${path} must be an object {"id", "tag_name"}`);
  const fields = tag as Body;
  for (const key of Object.keys(fields))
    if (key !== 'id' && key !== 'tag_name') throw bad(`${path} has unknown field "${key}"`);
  if (typeof fields.tag_name !== 'string') throw bad(`${path}.tag_name is required and must be a string`);
  return integer(fields.id, `${path}.id`, true);
}

function all(conditions: NxlinkCondition[]): NxlinkCondition | undefined {
  if (conditions.length <= 1) return conditions[0];
  return (entry) => conditions.every((condition) => condition(entry));
}

function bad(message: string): NxlinkError {
  return new NxlinkError(400, message);
}
