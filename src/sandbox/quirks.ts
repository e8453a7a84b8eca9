import { DateTime } from 'luxon';
import type { NxlinkCustomer } from './nxlink-record.ts';
import type { QuentliCustomer } from './quentli-record.ts';
import { fnv1a } from './random.ts';

/**
 * Switches that make the sandbox upstreams behave the other plausible way where the pages in
 * `../shared/seeds/` are silent, so the gateway is proven against more than our own reading of
 * them (docs/upstream-assumptions.md lists each one beside the assumption it tests):
 *
 * - `qs-defaults`: Quentli parses `filter` with qs's defaults: a list of more than 20 items
 *   arrives as an object with index keys, which Quentli refuses (400) as any typed server would.
 * - `one-sort-key`: Quentli accepts one sort key only; a second one is a 400.
 * - `offset-timestamps`: Quentli writes instants with offsets, `+00:00` or a lowercase `z`, and
 *   without fractions when they are zero; NXLink writes its times with `Z` or an offset.
 * - `odd-records`: records leave out optional keys, write numbers and booleans as text, carry
 *   keys nobody documented, a metadata value null, `customize_field` as `"1"`, a tag with
 *   `created_at: ""`; and one record in ten holds a value no reader can make sense of.
 *
 * A tenant in another zone (`Asia/Shanghai`) is the sandbox's `nxlink.timeZone`.
 */
export const SANDBOX_QUIRKS = ['qs-defaults', 'one-sort-key', 'offset-timestamps', 'odd-records'] as const;
export type SandboxQuirk = (typeof SANDBOX_QUIRKS)[number];
export type Quirks = ReadonlySet<SandboxQuirk>;

export function isSandboxQuirk(name: string): name is SandboxQuirk {
  return (SANDBOX_QUIRKS as readonly string[]).includes(name);
}

/** One record in ten (by its id) carries a value that cannot be read. */
export function isUnreadableRecord(id: string): boolean {
  return fnv1a(`unreadable:${id}`) % 10 === 0;
}

const QUENTLI_INSTANTS = [
  'createdAt',
  'updatedAt',
  'archivedAt',
  'signatureAcceptedAt',
  'optedOutWhatsappAt',
  'optedInWhatsappAt',
  'startedWhatsappAt',
] as const satisfies readonly (keyof QuentliCustomer)[];

const QUENTLI_FLAGS = [
  'acceptedServiceAgreement',
  'skipTaxInvoice',
  'emailVerified',
  'phoneNumberVerified',
  'hasChangedPassword',
  'replyWithAssistant',
] as const satisfies readonly (keyof QuentliCustomer)[];

/** A Quentli customer as this variant of Quentli writes it. */
export function presentQuentli(customer: QuentliCustomer, quirks: Quirks): QuentliCustomer | Record<string, unknown> {
  if (quirks.size === 0) return customer;
  const out: Record<string, unknown> = { ...customer };
  const hash = fnv1a(customer.id);
  if (quirks.has('offset-timestamps')) {
    for (const field of QUENTLI_INSTANTS) {
      const text = customer[field];
      if (text !== null) out[field] = withOffset(Date.parse(text), OFFSETS[(hash + field.length) % OFFSETS.length]!);
    }
  }
  if (quirks.has('odd-records')) {
    for (const [key, value] of Object.entries(out)) if (value === null) delete out[key];
    if (hash % 2 === 0) for (const field of QUENTLI_FLAGS) out[field] = String(customer[field] ?? '');
    if (hash % 3 === 0) out.metadata = [...customer.metadata, { key: 'legacyCode', value: null }];
    out.loyaltyTier = 'unknown to the gateway';
    if (isUnreadableRecord(customer.id)) out.emailVerified = 'pending review';
  }
  return out;
}

/** An NXLink customer as this variant of NXLink writes it; `timeZone` is the tenant's. */
export function presentNxlink(
  customer: NxlinkCustomer,
  quirks: Quirks,
  timeZone: string,
): NxlinkCustomer | Record<string, unknown> {
  if (quirks.size === 0) return customer;
  const out: Record<string, unknown> = { ...customer };
  const hash = fnv1a(customer.id.toString());
  if (quirks.has('offset-timestamps')) {
    const offset = OFFSETS[hash % OFFSETS.length]!;
    out.created_at = withOffset(localMs(customer.created_at, timeZone), offset);
    out.updated_at = withOffset(localMs(customer.updated_at, timeZone), offset);
    out.tags = customer.tags.map((tag) => ({
      ...tag,
      created_at: withOffset(localMs(tag.created_at, timeZone), offset),
      updated_at: withOffset(localMs(tag.updated_at, timeZone), offset),
    }));
  }
  if (quirks.has('odd-records')) {
    for (const [key, value] of Object.entries(out)) if (value === null) delete out[key];
    for (const key of ['gender', 'status', 'source_type', 'weight'] as const) {
      if (customer[key] !== null && hash % 2 === 0) out[key] = String(customer[key]);
    }
    if (hash % 5 === 0) out.customize_field = '1';
    const tags = out.tags as Record<string, unknown>[];
    if (hash % 3 === 0 && tags.length > 0) out.tags = [{ ...tags[0], created_at: '' }, ...tags.slice(1)];
    out.lead_score = 42;
    if (isUnreadableRecord(customer.id.toString())) out.status = 'enabled';
  }
  return out;
}

/** Whole-hour and half-hour offsets, UTC written three ways. */
const OFFSETS = ['+00:00', 'z', '-06:00', '+05:30', 'Z', '+08:00'] as const;

/** The instant in ISO 8601 at `offset`, fractions only when not zero, as many servers write it. */
function withOffset(ms: number, offset: (typeof OFFSETS)[number]): string {
  const minutes =
    offset === 'z' || offset === 'Z'
      ? 0
      : (offset[0] === '-' ? -1 : 1) * (Number(offset.slice(1, 3)) * 60 + Number(offset.slice(4)));
  const local = new Date(ms + minutes * 60_000).toISOString();
  const fraction = local.slice(19, 23) === '.000' ? '' : local.slice(19, 23);
  return `${local.slice(0, 19)}${fraction}${offset}`;
}

function localMs(local: string, timeZone: string): number {
  return DateTime.fromISO(local, { zone: timeZone }).toMillis();
}
