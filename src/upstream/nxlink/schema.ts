import { z } from 'zod';
import type { NxlinkCustomerRecord, NxlinkPage, NxlinkPaging, NxlinkTagRecord } from './records.ts';
import { fromNxlinkTime } from './time.ts';

// After parseJson64 a 64-bit integer is a bigint when it exceeds 2^53, a number otherwise;
// either way the gateway carries it as decimal digits.
const int64 = z
  .union([z.bigint(), z.number().int()], { error: 'expected a 64-bit integer written as a bare JSON number' })
  .transform((value) => BigInt(value).toString());
// `.default(null)` rather than `.nullish().transform(...)`: the same output, without a pipe and
// a closure call per field of every record.
const optionalInt64 = int64.nullable().default(null);

const text = z.string().nullable().default(null);
const smallInt = z.number().int().nullable().default(null);
/** Documented as strings ("1"); a bare number is taken as its digits. */
const textOrNumber = z
  .union([z.string(), z.number()])
  .nullish()
  .transform((value) => (value == null ? null : String(value)));

/** `customize_field` is a JSON object serialized into a string; anything else is no fields. */
const customFields = z.unknown().transform((value): Record<string, unknown> | null => {
  if (typeof value !== 'string' || value.trim() === '') return null;
  try {
    const parsed: unknown = JSON.parse(value);
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)
      ? (parsed as Record<string, unknown>)
      : null;
  } catch {
    return null;
  }
});

function localTime(zone: string) {
  return z.string({ error: 'expected a local time like 2024-07-19T17:29:27' }).transform((value, ctx) => {
    try {
      return fromNxlinkTime(value, zone);
    } catch (error) {
      ctx.addIssue({ code: 'custom', message: error instanceof Error ? error.message : 'invalid time' });
      return z.NEVER;
    }
  });
}

function tagSchema(zone: string): z.ZodType<NxlinkTagRecord> {
  const time = localTime(zone).nullable().default(null);
  return z
    .object({
      id: int64,
      tag_name: text,
      group_id: optionalInt64,
      group_name: text,
      note: text,
      created_at: time,
      updated_at: time,
    })
    .transform((tag) => ({
      tagId: tag.id,
      tagName: tag.tag_name,
      groupId: tag.group_id,
      groupName: tag.group_name,
      note: tag.note,
      createdAt: tag.created_at,
      updatedAt: tag.updated_at,
    }));
}

/** A raw NXLink customer (from parseJson64) as `NxlinkCustomerRecord`; timestamps read in `zone`. */
export function nxlinkCustomerSchema(zone: string): z.ZodType<NxlinkCustomerRecord> {
  return z
    .object({
      id: int64,
      first_name: text,
      last_name: text,
      full_name: text,
      sms_phone: text,
      whatsApp_phone: text,
      viber_phone: text,
      line: text,
      messenger: text,
      instagram: text,
      email: text,
      country: text,
      birthday: text,
      remark: text,
      source_type: smallInt,
      source_channel_key: text,
      gender: smallInt,
      created_at: localTime(zone),
      updated_at: localTime(zone),
      status: smallInt,
      whatApp_subscribe: textOrNumber,
      sms_subscribe: textOrNumber,
      customize_field: customFields,
      tenant_id: int64,
      weight: optionalInt64,
      web: text,
      tags: z
        .array(tagSchema(zone))
        .nullish()
        .transform((tags) => tags ?? []),
    })
    .transform((raw) => ({
      id: raw.id,
      firstName: raw.first_name,
      lastName: raw.last_name,
      fullName: raw.full_name,
      smsPhone: raw.sms_phone,
      whatsappPhone: raw.whatsApp_phone,
      viberPhone: raw.viber_phone,
      line: raw.line,
      messenger: raw.messenger,
      instagram: raw.instagram,
      email: raw.email,
      country: raw.country,
      birthday: raw.birthday,
      remark: raw.remark,
      sourceType: raw.source_type,
      sourceChannelKey: raw.source_channel_key,
      gender: raw.gender,
      createdAt: raw.created_at,
      updatedAt: raw.updated_at,
      status: raw.status,
      whatsappSubscribed: raw.whatApp_subscribe,
      smsSubscribed: raw.sms_subscribe,
      customFields: raw.customize_field,
      tenantId: raw.tenant_id,
      weight: raw.weight,
      web: raw.web,
      tags: raw.tags,
    }));
}

const EMPTY_PAGING: NxlinkPaging = { after: null, before: null, previous: null, next: null };

const pagingSchema: z.ZodType<NxlinkPaging> = z
  .object({ after: optionalInt64, before: optionalInt64, previous: optionalInt64, next: optionalInt64 })
  .nullish()
  .transform((paging) => paging ?? EMPTY_PAGING);

/** `data` of a successful query: `{paging, customer_list}` as an NxlinkPage. */
export function nxlinkPageSchema(zone: string): z.ZodType<NxlinkPage> {
  return z
    .object({
      paging: pagingSchema,
      customer_list: z
        .array(nxlinkCustomerSchema(zone))
        .nullish()
        .transform((list) => list ?? []),
    })
    .transform((data) => ({ customers: data.customer_list, paging: data.paging }));
}

/** Every NXLink answer: `{code, message, traceId, data}`; `data` is checked once code is 0. */
export const nxlinkEnvelopeSchema = z.object({
  code: z.number({ error: 'expected the numeric result code' }).int(),
  message: z.string().nullish(),
  traceId: z.string().nullish(),
  data: z.unknown(),
});
