import { z } from 'zod';
import { speedTrickOn } from '../../speed-tricks.ts';
import type { QuentliCustomerRecord } from './records.ts';

const ISO_INSTANT_MESSAGE = 'expected an ISO 8601 instant in UTC, like 2025-01-15T10:30:00.000Z';

/**
 * ISO 8601 in UTC (`Z`): the date, the time to the second, optional fractions. A regular
 * expression and a days-in-month check rather than `new Date()`: every record carries two
 * instants and every page up to a hundred records, so this runs on the hot path.
 */
const ISO_INSTANT = /^(\d{4})-(\d{2})-(\d{2})T(?:[01]\d|2[0-3]):[0-5]\d:[0-5]\d(?:\.\d{1,9})?Z$/;
const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31] as const;

/** The format allows 2025-02-30; only a date that exists passes. */
export function isIsoInstant(text: string): boolean {
  const match = ISO_INSTANT.exec(text);
  if (match === null) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (month < 1 || month > 12 || day < 1) return false;
  const leapDay = month === 2 && year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 1 : 0;
  return day <= (DAYS_IN_MONTH[month - 1] ?? 0) + leapDay;
}

/** Kept exactly as Quentli wrote it, so the same customer shows the same text everywhere. */
const instant = speedTrickOn('iso-instant-check')
  ? z.string({ error: ISO_INSTANT_MESSAGE }).refine(isIsoInstant, ISO_INSTANT_MESSAGE)
  : z.iso.datetime({ error: ISO_INSTANT_MESSAGE });

// `.default(null)` rather than `.nullish().transform(...)`: the same output, without a pipe
// and a closure call per field of every record.
const text = z.string().nullable().default(null);
const flag = z.boolean().nullable().default(null);

const metadataEntry = z.object({ key: z.string(), value: z.string() });

/**
 * A Quentli customer as `QuentliCustomerRecord`. Email and phone are not format-checked: the
 * gateway returns what Quentli holds, typos included. Unknown fields are dropped.
 */
export const quentliCustomerSchema: z.ZodType<QuentliCustomerRecord> = z.object({
  id: z.string().min(1, 'expected a non-empty customer id'),
  createdAt: instant,
  updatedAt: instant,
  name: text,
  username: text,
  organizationId: text,
  acceptedServiceAgreement: flag,
  skipTaxInvoice: flag,
  emailVerified: flag,
  phoneNumberVerified: flag,
  hasChangedPassword: flag,
  email: text,
  phoneNumber: text,
  secondaryPhoneNumber: text,
  archivedAt: text,
  archivedById: text,
  signatureAcceptedAt: text,
  optedOutWhatsappAt: text,
  optedInWhatsappAt: text,
  startedWhatsappAt: text,
  replyWithAssistant: flag,
  metadata: z.array(metadataEntry).nullable().default(null),
  meta: z.record(z.string(), z.unknown()).nullable().default(null),
});

/** `GET /v1/customers` answers a bare array. */
export const quentliCustomerListSchema: z.ZodType<QuentliCustomerRecord[]> =
  z.array(quentliCustomerSchema);

/** `POST` and `PATCH` answer `{"customer": {...}}`. */
export const quentliCustomerEnvelopeSchema: z.ZodType<{ customer: QuentliCustomerRecord }> =
  z.object({ customer: quentliCustomerSchema });

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
