import { z } from 'zod';
import { UpstreamError } from '../errors.ts';
import {
  readInstant,
  readInstantText,
  readInt64Digits,
  readInteger,
  readList,
  readText,
  type UnreadableReporter,
} from '../lenient.ts';
import type { NxlinkCustomerRecord, NxlinkPage, NxlinkPaging, NxlinkTagRecord } from './records.ts';

/**
 * NXLink records, read leniently (see lenient.ts). Strict, because nothing can be trusted when
 * they are wrong: ids, the tenant id, tag ids, the paging fields (64-bit integers, which must
 * round-trip exactly) and `created_at`/`updated_at` (the documented required keys, on which
 * the merged order rests). Everything else that cannot be read is null and named in the
 * record's `unreadable`; unknown keys are ignored.
 *
 * Times without an offset are read in `zone` (NXLINK_TIME_ZONE); an offset or `Z` in the text
 * wins over it.
 */
export function readNxlinkPage(raw: unknown, zone: string, report?: UnreadableReporter): NxlinkPage {
  if (typeof raw !== 'object' || raw === null) throw badAnswer('data', 'expected {paging, customer_list}');
  const data = raw as Record<string, unknown>;
  const list = data.customer_list;
  if (list !== null && list !== undefined && !Array.isArray(list)) {
    throw badAnswer('data.customer_list', 'expected a list of customers');
  }
  const customers = new Array<NxlinkCustomerRecord>(list?.length ?? 0);
  for (let index = 0; index < customers.length; index++) {
    customers[index] = readNxlinkCustomer(list?.[index], `data.customer_list[${index}]`, zone, report);
  }
  return { customers, paging: readPaging(data.paging) };
}

export function readNxlinkCustomer(
  raw: unknown,
  at: string,
  zone: string,
  report?: UnreadableReporter,
): NxlinkCustomerRecord {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw badAnswer(at, 'expected a customer object');
  const value = raw as Record<string, unknown>;
  const id = strictInt64(value.id, `${at}.id`);
  const unreadable: string[] = [];
  const customize = readText(value.customize_field, 'customFieldsText', unreadable);
  const record: NxlinkCustomerRecord = {
    source: 'NXLINK',
    id,
    firstName: readText(value.first_name, 'firstName', unreadable),
    lastName: readText(value.last_name, 'lastName', unreadable),
    fullName: readText(value.full_name, 'fullName', unreadable),
    smsPhone: readText(value.sms_phone, 'smsPhone', unreadable),
    whatsappPhone: readText(value.whatsApp_phone, 'whatsappPhone', unreadable),
    viberPhone: readText(value.viber_phone, 'viberPhone', unreadable),
    line: readText(value.line, 'line', unreadable),
    messenger: readText(value.messenger, 'messenger', unreadable),
    instagram: readText(value.instagram, 'instagram', unreadable),
    email: readText(value.email, 'email', unreadable),
    country: readText(value.country, 'country', unreadable),
    birthday: readText(value.birthday, 'birthday', unreadable),
    remark: readText(value.remark, 'remark', unreadable),
    sourceType: readInteger(value.source_type, 'sourceType', unreadable),
    sourceChannelKey: readText(value.source_channel_key, 'sourceChannelKey', unreadable),
    gender: readInteger(value.gender, 'gender', unreadable),
    createdAt: strictTime(value.created_at, `${at}.created_at`, zone),
    updatedAt: strictTime(value.updated_at, `${at}.updated_at`, zone),
    status: readInteger(value.status, 'status', unreadable),
    whatsappSubscribed: readText(value.whatApp_subscribe, 'whatsappSubscribed', unreadable),
    smsSubscribed: readText(value.sms_subscribe, 'smsSubscribed', unreadable),
    customFields: customFieldsOf(customize),
    customFieldsText: customize,
    tenantId: strictInt64(value.tenant_id, `${at}.tenant_id`),
    weight: readInt64Digits(value.weight, 'weight', unreadable),
    web: readText(value.web, 'web', unreadable),
    tags: readTags(value.tags, `${at}.tags`, zone, unreadable),
    unreadable: null,
  };
  if (unreadable.length > 0) {
    // The parsed custom fields come from the text: unreadable together.
    if (unreadable.includes('customFieldsText')) unreadable.push('customFields');
    record.unreadable = unreadable;
    report?.({ source: 'NXLINK', recordId: id, fields: unreadable });
  }
  return record;
}

function readTags(value: unknown, at: string, zone: string, unreadable: string[]): NxlinkTagRecord[] {
  const list = readList(value, 'tags', unreadable);
  if (list === null) return [];
  return list.map((raw, index) => {
    if (typeof raw !== 'object' || raw === null) throw badAnswer(`${at}[${index}]`, 'expected a tag object');
    const tag = raw as Record<string, unknown>;
    const problems: string[] = [];
    const record: NxlinkTagRecord = {
      tagId: strictInt64(tag.id, `${at}[${index}].id`),
      tagName: readText(tag.tag_name, 'tagName', problems),
      groupId: readInt64Digits(tag.group_id, 'groupId', problems),
      groupName: readText(tag.group_name, 'groupName', problems),
      note: readText(tag.note, 'note', problems),
      createdAt: readInstant(tag.created_at, 'createdAt', problems, zone),
      updatedAt: readInstant(tag.updated_at, 'updatedAt', problems, zone),
      unreadable: problems.length > 0 ? problems : null,
    };
    // Named for the log line and metric; the tag itself answers its fields' errors.
    for (const field of problems) if (!unreadable.includes(`tags.${field}`)) unreadable.push(`tags.${field}`);
    return record;
  });
}

/** `customize_field` is a JSON object serialized into a string; other text (`"1"`) is no fields. */
function customFieldsOf(text: string | null): Record<string, unknown> | null {
  if (text === null || text.trim() === '' || text.trimStart()[0] !== '{') return null;
  try {
    const parsed: unknown = JSON.parse(text);
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)
      ? (parsed as Record<string, unknown>)
      : null;
  } catch {
    return null;
  }
}

const EMPTY_PAGING: NxlinkPaging = { after: null, before: null, previous: null, next: null };

function readPaging(value: unknown): NxlinkPaging {
  if (value === null || value === undefined) return EMPTY_PAGING;
  if (typeof value !== 'object') throw badAnswer('data.paging', 'expected {after, before, previous, next}');
  const paging = value as Record<string, unknown>;
  return {
    after: optionalInt64(paging.after, 'data.paging.after'),
    before: optionalInt64(paging.before, 'data.paging.before'),
    previous: optionalInt64(paging.previous, 'data.paging.previous'),
    next: optionalInt64(paging.next, 'data.paging.next'),
  };
}

// After parseJson64 a 64-bit integer is a bigint when it exceeds 2^53, a number otherwise;
// either way the gateway carries it as decimal digits. Text is refused: NXLink documents these
// as bare numbers, and a quoted one may already have been rounded by whoever wrote it.
const INT64_MESSAGE = 'expected a 64-bit integer written as a bare JSON number';

function strictInt64(value: unknown, path: string): string {
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'number' && Number.isSafeInteger(value)) return String(value);
  throw badAnswer(path, INT64_MESSAGE);
}

function optionalInt64(value: unknown, path: string): string | null {
  return value === null || value === undefined ? null : strictInt64(value, path);
}

function strictTime(value: unknown, path: string, zone: string): string {
  const instant = typeof value === 'string' ? readInstantText(value, zone) : undefined;
  if (instant === undefined) throw badAnswer(path, 'expected a local time like 2024-07-19T17:29:27');
  return instant;
}

function badAnswer(path: string, expected: string): UpstreamError {
  return new UpstreamError(
    'NXLINK',
    'UPSTREAM_BAD_RESPONSE',
    `NXLink answered with an invalid customer page: at ${path}: ${expected}`,
    {
      details: [{ path: [path], message: expected }],
    },
  );
}

/** Every NXLink answer: `{code, message, traceId, data}`; `data` is checked once code is 0. */
export const nxlinkEnvelopeSchema = z.object({
  code: z.number({ error: 'expected the numeric result code' }).int(),
  message: z.string().nullish(),
  traceId: z.string().nullish(),
  data: z.unknown(),
});
