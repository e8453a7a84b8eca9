import { z } from 'zod';
import type { QuentliCustomerRecord } from './records.ts';

const ISO_INSTANT_MESSAGE = 'expected an ISO 8601 instant in UTC, like 2025-01-15T10:30:00.000Z';

/** ISO 8601 in UTC (`Z`), built once: schemas are costly to build, cheap to run. */
const isoInstant = z.iso.datetime();

/** The format allows 2025-02-30; a date that exists reads back as itself. */
const isCalendarDate = (text: string): boolean => new Date(text).toISOString().slice(0, 10) === text.slice(0, 10);

/** Kept exactly as Quentli wrote it, so the same customer shows the same text everywhere. */
const instant = z
  .string({ error: ISO_INSTANT_MESSAGE })
  .refine((text) => isoInstant.safeParse(text).success && isCalendarDate(text), ISO_INSTANT_MESSAGE);

const text = z.string().nullish().transform((value) => value ?? null);
const flag = z.boolean().nullish().transform((value) => value ?? null);

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
  metadata: z
    .array(metadataEntry)
    .nullish()
    .transform((entries) => entries ?? []),
  meta: z
    .record(z.string(), z.unknown())
    .nullish()
    .transform((meta) => meta ?? null),
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
