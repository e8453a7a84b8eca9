import type { Random } from './random.ts';
import { quentliCustomer, seededCuid, type QuentliCustomer, type QuentliMetadata } from './quentli-record.ts';
import { SEED_END_MS, type SeedCustomer } from './seed.ts';

export interface SeededQuentliCustomer {
  customer: QuentliCustomer;
  /** Drives the `noPayments` filter flag; payments themselves are not modelled. */
  noPayments: boolean;
}

const GRADES = ['1A', '2B', '3A', '4C', '5A', '6B'];
const CAMPUSES = ['Polanco', 'Coyoacán', 'Zapopan', 'San Pedro', 'Tlalpan'];

export function seedQuentli(
  customers: readonly SeedCustomer[],
  random: Random,
): {
  organizationId: string;
  seeded: SeededQuentliCustomer[];
} {
  const organizationId = seededCuid(SEED_END_MS - 900 * 86_400_000, 0, random);
  const staff = Array.from({ length: 4 }, (_, i) => seededCuid(SEED_END_MS - 800 * 86_400_000, i + 1, random));
  const seeded = customers.map((c, i) => ({
    customer: build(c, i, organizationId, staff, random),
    noPayments: random.chance(0.3),
  }));
  return { organizationId, seeded };
}

function build(c: SeedCustomer, counter: number, organizationId: string, staff: string[], r: Random): QuentliCustomer {
  const { identity } = c;
  const between = () => iso(c.createdAtMs + Math.floor(r.next() * (c.updatedAtMs - c.createdAtMs + 1)));
  const optedIn = identity.phone !== null && r.chance(0.5);
  const archived = r.chance(0.06);
  return quentliCustomer({
    id: seededCuid(c.createdAtMs, counter, r),
    createdAt: iso(c.createdAtMs),
    updatedAt: iso(c.updatedAtMs),
    name: identity.firstName === null ? null : `${identity.firstName} ${identity.lastName ?? ''}`.trim(),
    username: r.chance(0.7) ? identity.username : null,
    organizationId,
    acceptedServiceAgreement: r.chance(0.8),
    skipTaxInvoice: r.chance(0.15),
    emailVerified: identity.email !== null && r.chance(0.6),
    phoneNumberVerified: identity.phone !== null && r.chance(0.7),
    hasChangedPassword: r.chance(0.4),
    email: identity.email,
    phoneNumber: identity.phone === null ? null : `+${identity.phone}`,
    secondaryPhoneNumber: r.chance(0.15) ? `+5255${r.digits(8)}` : null,
    archivedAt: archived ? between() : null,
    archivedById: archived ? r.pick(staff) : null,
    signatureAcceptedAt: r.chance(0.3) ? between() : null,
    optedOutWhatsappAt: !optedIn && r.chance(0.1) ? between() : null,
    optedInWhatsappAt: optedIn ? between() : null,
    startedWhatsappAt: optedIn ? iso(c.createdAtMs) : null,
    replyWithAssistant: r.chance(0.5),
    metadata: metadata(r),
    meta: meta(r),
  });
}

function metadata(r: Random): QuentliMetadata[] {
  if (!r.chance(0.4)) return [];
  const entries = [{ key: 'studentId', value: `A-${r.digits(4)}` }];
  if (r.chance(0.5)) entries.push({ key: 'grade', value: r.pick(GRADES) });
  return entries;
}

function meta(r: Random): Record<string, unknown> | null {
  const roll = r.next();
  if (roll < 0.2) return null;
  if (roll < 0.7) return {};
  return r.chance(0.5) ? { grade: r.pick(GRADES) } : { campus: r.pick(CAMPUSES), siblings: r.int(0, 3) };
}

export function iso(ms: number): string {
  return new Date(ms).toISOString();
}
