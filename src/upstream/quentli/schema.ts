import { z } from 'zod';
import { quentliE164 } from '../../phone.ts';
import { UpstreamError } from '../errors.ts';
import {
  readFlag,
  readInstant,
  readInstantText,
  readList,
  readObject,
  readText,
  type UnreadableReporter,
} from '../lenient.ts';
import type { QuentliCustomerRecord, QuentliMetadataEntry } from './records.ts';

/**
 * Quentli records, read leniently (see lenient.ts): only `id`, `createdAt` and `updatedAt` are
 * strict, since paging, the merged order and the contract's non-null fields rest on them; a
 * record without them fails the answer. Every other field that cannot be read is null and
 * named in the record's `unreadable`. Unknown fields are ignored. Email and phone are not
 * format-checked: the gateway returns what Quentli holds, typos included (`phoneNumber` is
 * E.164 only when Quentli wrote it so; `rawPhoneNumber` keeps the text).
 */
export function readQuentliCustomer(raw: unknown, at: string, report?: UnreadableReporter): QuentliCustomerRecord {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw badAnswer(at, 'expected a customer object');
  }
  const value = raw as Record<string, unknown>;
  const id = value.id;
  if (typeof id !== 'string' || id === '') throw badAnswer(`${at}.id`, 'expected a non-empty customer id');
  const unreadable: string[] = [];
  const phone = readText(value.phoneNumber, 'phoneNumber', unreadable);
  const record: QuentliCustomerRecord = {
    source: 'QUENTLI',
    id,
    createdAt: strictInstant(value.createdAt, `${at}.createdAt`),
    updatedAt: strictInstant(value.updatedAt, `${at}.updatedAt`),
    name: readText(value.name, 'name', unreadable),
    username: readText(value.username, 'username', unreadable),
    organizationId: readText(value.organizationId, 'organizationId', unreadable),
    acceptedServiceAgreement: readFlag(value.acceptedServiceAgreement, 'acceptedServiceAgreement', unreadable),
    skipTaxInvoice: readFlag(value.skipTaxInvoice, 'skipTaxInvoice', unreadable),
    emailVerified: readFlag(value.emailVerified, 'emailVerified', unreadable),
    phoneNumberVerified: readFlag(value.phoneNumberVerified, 'phoneNumberVerified', unreadable),
    hasChangedPassword: readFlag(value.hasChangedPassword, 'hasChangedPassword', unreadable),
    email: readText(value.email, 'email', unreadable),
    phoneNumber: quentliE164(phone),
    rawPhoneNumber: phone,
    secondaryPhoneNumber: readText(value.secondaryPhoneNumber, 'secondaryPhoneNumber', unreadable),
    archivedAt: readInstant(value.archivedAt, 'archivedAt', unreadable),
    archivedById: readText(value.archivedById, 'archivedById', unreadable),
    signatureAcceptedAt: readInstant(value.signatureAcceptedAt, 'signatureAcceptedAt', unreadable),
    optedOutWhatsappAt: readInstant(value.optedOutWhatsappAt, 'optedOutWhatsappAt', unreadable),
    optedInWhatsappAt: readInstant(value.optedInWhatsappAt, 'optedInWhatsappAt', unreadable),
    startedWhatsappAt: readInstant(value.startedWhatsappAt, 'startedWhatsappAt', unreadable),
    replyWithAssistant: readFlag(value.replyWithAssistant, 'replyWithAssistant', unreadable),
    metadata: readMetadata(value.metadata, unreadable),
    meta: readObject(value.meta, 'meta', unreadable),
    unreadable: null,
  };
  if (unreadable.length > 0) {
    // The phone's raw text is unreadable exactly when its E.164 form is.
    if (unreadable.includes('phoneNumber')) unreadable.push('rawPhoneNumber');
    record.unreadable = unreadable;
    report?.({ source: 'QUENTLI', recordId: id, fields: unreadable });
  }
  return record;
}

/** `GET /v1/customers` answers a bare array. */
export function readQuentliCustomerList(raw: unknown, report?: UnreadableReporter): QuentliCustomerRecord[] {
  if (!Array.isArray(raw)) throw badAnswer('(root)', 'expected a JSON array of customers');
  const records = new Array<QuentliCustomerRecord>(raw.length);
  for (let index = 0; index < raw.length; index++)
    records[index] = readQuentliCustomer(raw[index], `[${index}]`, report);
  return records;
}

/** `POST` and `PATCH` answer `{"customer": {...}}`. */
export function readQuentliCustomerEnvelope(raw: unknown, report?: UnreadableReporter): QuentliCustomerRecord {
  const customer = typeof raw === 'object' && raw !== null ? (raw as { customer?: unknown }).customer : undefined;
  return readQuentliCustomer(customer, 'customer', report);
}

function strictInstant(value: unknown, path: string): string {
  const instant = typeof value === 'string' ? readInstantText(value, undefined) : undefined;
  if (instant === undefined) throw badAnswer(path, 'expected an ISO 8601 instant, like 2025-01-15T10:30:00.000Z');
  return instant;
}

/** Entries with a key; a null value stays null. A list that is not such entries is unreadable. */
function readMetadata(value: unknown, unreadable: string[]): QuentliMetadataEntry[] | null {
  const list = readList(value, 'metadata', unreadable);
  if (list === null) return null;
  const problems: string[] = [];
  const entries = list.map((item): QuentliMetadataEntry => {
    const entry = typeof item === 'object' && item !== null ? (item as Record<string, unknown>) : {};
    const key = readText(entry.key, 'key', problems);
    if (key === null) problems.push('key');
    return { key: key ?? '', value: readText(entry.value, 'value', problems) };
  });
  if (problems.length === 0) return entries;
  unreadable.push('metadata');
  return null;
}

/** The answer as a whole cannot be used: UPSTREAM_BAD_RESPONSE naming where, never the value. */
function badAnswer(path: string, expected: string): UpstreamError {
  return new UpstreamError(
    'QUENTLI',
    'UPSTREAM_BAD_RESPONSE',
    `Quentli answered with an invalid customer: at ${path}: ${expected}`,
    { details: [{ path: [path], message: expected }] },
  );
}

/** Quentli's error body, `{"error": {"code", "message", "details"?}}`. */
export const quentliErrorBodySchema = z.object({
  error: z.object({
    code: z.string().optional(),
    message: z.string().optional(),
    details: z
      .array(
        z.object({
          path: z.array(z.union([z.string(), z.number()])).catch([]),
          message: z.string().catch(''),
        }),
      )
      .optional()
      .catch(undefined),
  }),
});
