import { z } from 'zod';
import type { NxlinkCustomerRecord, NxlinkPage, NxlinkPaging, NxlinkTagRecord } from './records.ts';
import { fromNxlinkTime } from './time.ts';

// Every check below is a plain check; what needs converting (64-bit integers to digits, local
// times to instants, the custom-field text to an object) is done once per record, in the
// record's own transform. A transform per field costs a wrapper call and zod's cycle guard on
// every field of every record, which made validation the largest cost of an NXLink page.

// After parseJson64 a 64-bit integer is a bigint when it exceeds 2^53, a number otherwise;
// either way the gateway carries it as decimal digits.
type Int64 = bigint | number;
const int64 = z.custom<Int64>(
  (value) => typeof value === 'bigint' || (typeof value === 'number' && Number.isSafeInteger(value)),
  'expected a 64-bit integer written as a bare JSON number',
);
const optionalInt64 = int64.nullable().default(null);
const digits = (value: Int64): string => String(value);
const optionalDigits = (value: Int64 | null): string | null => (value === null ? null : String(value));

const text = z.string().nullable().default(null);
const smallInt = z.number().int().nullable().default(null);
/** Documented as strings ("1"); a bare number is taken as its digits. */
const textOrNumber = z
  .custom<string | number | null | undefined>(
    (value) => value == null || typeof value === 'string' || typeof value === 'number',
    'expected a string or a number',
  )
  .optional();

const LOCAL_TIME_MESSAGE = 'expected a local time like 2024-07-19T17:29:27';
const localTime = z.string({ error: LOCAL_TIME_MESSAGE });
const optionalLocalTime = localTime.nullable().default(null);

/** `customize_field` is a JSON object serialized into a string; anything else is no fields. */
function customFieldsOf(value: unknown): Record<string, unknown> | null {
  if (typeof value !== 'string' || value.trim() === '') return null;
  try {
    const parsed: unknown = JSON.parse(value);
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)
      ? (parsed as Record<string, unknown>)
      : null;
  } catch {
    return null;
  }
}

/**
 * `text` read in `zone`; a time that does not exist (Feb 30) becomes an issue at `field`, and
 * undefined, which refuses the record.
 */
function instantAt(text: string, field: string, zone: string, ctx: z.RefinementCtx): string | undefined {
  try {
    return fromNxlinkTime(text, zone);
  } catch (error) {
    ctx.addIssue({ code: 'custom', message: error instanceof Error ? error.message : 'invalid time', path: [field] });
    return undefined;
  }
}

function tagSchema(zone: string): z.ZodType<NxlinkTagRecord> {
  return z
    .object({
      id: int64,
      tag_name: text,
      group_id: optionalInt64,
      group_name: text,
      note: text,
      created_at: optionalLocalTime,
      updated_at: optionalLocalTime,
    })
    .transform((tag, ctx) => {
      const createdAt = tag.created_at === null ? null : instantAt(tag.created_at, 'created_at', zone, ctx);
      const updatedAt = tag.updated_at === null ? null : instantAt(tag.updated_at, 'updated_at', zone, ctx);
      if (createdAt === undefined || updatedAt === undefined) return z.NEVER;
      return {
        tagId: digits(tag.id),
        tagName: tag.tag_name,
        groupId: optionalDigits(tag.group_id),
        groupName: tag.group_name,
        note: tag.note,
        createdAt,
        updatedAt,
      };
    });
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
      created_at: localTime,
      updated_at: localTime,
      status: smallInt,
      whatApp_subscribe: textOrNumber,
      sms_subscribe: textOrNumber,
      customize_field: z.unknown(),
      tenant_id: int64,
      weight: optionalInt64,
      web: text,
      tags: z.array(tagSchema(zone)).nullable().default(null),
    })
    .transform((raw, ctx) => {
      const createdAt = instantAt(raw.created_at, 'created_at', zone, ctx);
      const updatedAt = instantAt(raw.updated_at, 'updated_at', zone, ctx);
      if (createdAt === undefined || updatedAt === undefined) return z.NEVER;
      return {
        id: digits(raw.id),
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
        createdAt,
        updatedAt,
        status: raw.status,
        whatsappSubscribed: raw.whatApp_subscribe == null ? null : String(raw.whatApp_subscribe),
        smsSubscribed: raw.sms_subscribe == null ? null : String(raw.sms_subscribe),
        customFields: customFieldsOf(raw.customize_field),
        tenantId: digits(raw.tenant_id),
        weight: optionalDigits(raw.weight),
        web: raw.web,
        tags: raw.tags ?? [],
      };
    });
}

const EMPTY_PAGING: NxlinkPaging = { after: null, before: null, previous: null, next: null };

const pagingSchema: z.ZodType<NxlinkPaging> = z
  .object({ after: optionalInt64, before: optionalInt64, previous: optionalInt64, next: optionalInt64 })
  .nullish()
  .transform((paging) =>
    paging == null
      ? EMPTY_PAGING
      : {
          after: optionalDigits(paging.after),
          before: optionalDigits(paging.before),
          previous: optionalDigits(paging.previous),
          next: optionalDigits(paging.next),
        },
  );

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
