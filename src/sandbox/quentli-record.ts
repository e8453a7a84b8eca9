import { randomBytes } from 'node:crypto';
import type { Random } from './random.ts';

export interface QuentliMetadata {
  key: string;
  value: string;
}

/** A Quentli customer exactly as the API serves it (fields in the API's order). */
export interface QuentliCustomer {
  id: string;
  createdAt: string;
  updatedAt: string;
  name: string | null;
  username: string | null;
  organizationId: string | null;
  acceptedServiceAgreement: boolean | null;
  skipTaxInvoice: boolean | null;
  emailVerified: boolean | null;
  phoneNumberVerified: boolean | null;
  hasChangedPassword: boolean | null;
  email: string | null;
  phoneNumber: string | null;
  secondaryPhoneNumber: string | null;
  archivedAt: string | null;
  archivedById: string | null;
  signatureAcceptedAt: string | null;
  optedOutWhatsappAt: string | null;
  optedInWhatsappAt: string | null;
  startedWhatsappAt: string | null;
  replyWithAssistant: boolean | null;
  metadata: QuentliMetadata[];
  meta: Record<string, unknown> | null;
}

/** Fills every field in the API's order, so served JSON has a stable shape. */
export function quentliCustomer(
  fields: Pick<QuentliCustomer, 'id' | 'createdAt'> & Partial<QuentliCustomer>,
): QuentliCustomer {
  return {
    id: fields.id,
    createdAt: fields.createdAt,
    updatedAt: fields.updatedAt ?? fields.createdAt,
    name: fields.name ?? null,
    username: fields.username ?? null,
    organizationId: fields.organizationId ?? null,
    acceptedServiceAgreement: fields.acceptedServiceAgreement ?? false,
    skipTaxInvoice: fields.skipTaxInvoice ?? false,
    emailVerified: fields.emailVerified ?? false,
    phoneNumberVerified: fields.phoneNumberVerified ?? false,
    hasChangedPassword: fields.hasChangedPassword ?? false,
    email: fields.email ?? null,
    phoneNumber: fields.phoneNumber ?? null,
    secondaryPhoneNumber: fields.secondaryPhoneNumber ?? null,
    archivedAt: fields.archivedAt ?? null,
    archivedById: fields.archivedById ?? null,
    signatureAcceptedAt: fields.signatureAcceptedAt ?? null,
    optedOutWhatsappAt: fields.optedOutWhatsappAt ?? null,
    optedInWhatsappAt: fields.optedInWhatsappAt ?? null,
    startedWhatsappAt: fields.startedWhatsappAt ?? null,
    replyWithAssistant: fields.replyWithAssistant ?? false,
    metadata: fields.metadata ?? [],
    meta: fields.meta === undefined ? {} : fields.meta,
  };
}

/**
 * A cuid (v1 layout): "c", the creation time in base 36, a counter, a host fingerprint and
 * random characters, 25 characters in all. Ids therefore roughly follow creation time, as real
 * cuids do, but never exactly: equal instants differ only in their counter and random parts.
 */
export function cuid(createdAtMs: number, counter: number, fingerprint: string, random: string): string {
  const time = createdAtMs.toString(36).padStart(8, '0').slice(-8);
  const count = (counter % 36 ** 4).toString(36).padStart(4, '0');
  return `c${time}${count}${fingerprint}${random}`;
}

/** Seeded ids: every part drawn from the seeded generator. */
export function seededCuid(createdAtMs: number, counter: number, random: Random): string {
  return cuid(createdAtMs, counter, random.base36(4), random.base36(8));
}

const LIVE_FINGERPRINT = randomBytes(2).readUInt16BE(0).toString(36).padStart(4, '0').slice(-4);
let liveCounter = 0;

/** Ids of customers created while running; the caller still checks them against the store. */
export function liveCuid(createdAtMs: number): string {
  liveCounter += 1;
  const random = [...randomBytes(8)].map((byte) => (byte % 36).toString(36)).join('');
  return cuid(createdAtMs, liveCounter, LIVE_FINGERPRINT, random);
}
