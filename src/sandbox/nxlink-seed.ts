import { asciiSlug } from './people.ts';
import type { Random } from './random.ts';
import { TAG_OWNER_ID, TAG_SET, type NxlinkCustomer, type NxlinkTag, type TagDefinition } from './nxlink-record.ts';
import { SEED_END_MS, type SeedCustomer } from './seed.ts';
import type { ZoneClock } from './zone-clock.ts';

/**
 * Snowflake-like ids: a base near the documented example id, plus milliseconds since an epoch
 * shifted left 12 bits, plus a sequence. Ids therefore grow with created_at and sit far above
 * 2^53.
 */
const ID_BASE = 1021110718827683840n;
const ID_EPOCH_MS = SEED_END_MS - 731 * 86_400_000;

export function snowflake(createdAtMs: number, sequence: number): bigint {
  return ID_BASE + (BigInt(Math.max(0, createdAtMs - ID_EPOCH_MS)) << 12n) + BigInt(sequence);
}

/** What building a customer needs besides the person. */
export interface NxlinkContext {
  tenantId: bigint;
  clock: ZoneClock;
  random: Random;
}

const REMARKS = [
  'Cliente frecuente',
  'Prefiere contacto por la tarde',
  'Solicitó factura',
  'Referido por campaña de Facebook',
  'Pregunta por descuento de hermanos',
];
const BUSINESS_NUMBERS = ['5215512345678', '5213398765432'];
const CUSTOM_FIELDS = [
  null,
  '',
  '{"customize_4_52": ["1"]}',
  '{}',
  '{"customize_4_53": "Primaria", "customize_4_60": ["transferencia", "tarjeta"]}',
];

/** Seeded customers, newest first; ids increase strictly with created_at. */
export function seedNxlink(customers: readonly SeedCustomer[], context: NxlinkContext): NxlinkCustomer[] {
  const oldestFirst = [...customers].sort((a, b) => a.createdAtMs - b.createdAtMs);
  let previous = 0n;
  const built = oldestFirst.map((c) => {
    const id = maxBigInt(
      previous + 1n + BigInt(context.random.int(0, 4095)),
      snowflake(c.createdAtMs, context.random.int(0, 4095)),
    );
    previous = id;
    return buildNxlinkCustomer(c, id, context);
  });
  return built.reverse();
}

export function buildNxlinkCustomer(
  c: SeedCustomer,
  id: bigint,
  { tenantId, clock, random: r }: NxlinkContext,
): NxlinkCustomer {
  const { identity } = c;
  const whatsApp = c.smsOnly ? null : identity.phone;
  const sms = c.smsOnly ? identity.phone : r.chance(0.5) ? identity.phone : null;
  // Some people gave a first name only; shared people keep the name Quentli has.
  const lastName = identity.firstName !== null && !c.shared && r.chance(0.1) ? null : identity.lastName;
  const handle = () => `${asciiSlug(identity.firstName ?? 'cliente')}.${asciiSlug(identity.lastName ?? 'mx')}`;
  const sourceType = r.pick([1, 1, 2, 2, 3, 3, 3, 6, 6, 10]);
  return {
    id,
    first_name: identity.firstName,
    last_name: lastName,
    full_name: identity.firstName === null ? null : [identity.firstName, lastName].filter(Boolean).join(' '),
    sms_phone: sms,
    whatsApp_phone: whatsApp,
    viber_phone: identity.phone !== null && r.chance(0.05) ? identity.phone : null,
    line: r.chance(0.03) ? handle() : null,
    messenger: r.chance(0.05) ? handle() : null,
    instagram: r.chance(0.1) ? handle() : null,
    email: identity.email,
    country: identity.country,
    birthday: r.chance(0.4) ? birthday(r) : null,
    remark: r.chance(0.1) ? r.pick(REMARKS) : null,
    source_type: sourceType,
    source_channel_key: channelKey(sourceType, r),
    gender: r.pick([0, 1, null]),
    created_at: clock.format(c.createdAtMs),
    status: r.chance(0.95) ? 1 : 0,
    updated_at: clock.format(c.updatedAtMs),
    web: r.chance(0.1) ? 'https://www.example.com' : null,
    tags: pickTags(r).map((tag) => tagOf(tag, id, tenantId, clock)),
    whatApp_subscribe: whatsApp === null ? null : r.chance(0.9) ? '1' : '0',
    sms_subscribe: sms === null ? null : r.chance(0.8) ? '1' : '0',
    customize_field: r.pick(CUSTOM_FIELDS),
    tenant_id: tenantId,
    weight: r.chance(0.7) ? r.int(0, 10) : null,
  };
}

export function tagOf(
  tag: Pick<TagDefinition, 'id' | 'tag_name'> & Partial<TagDefinition>,
  customerId: bigint,
  tenantId: bigint,
  clock: ZoneClock,
): NxlinkTag {
  const created = clock.format(tag.createdAtMs ?? SEED_END_MS);
  return {
    id: tag.id,
    user_id: TAG_OWNER_ID,
    tenant_id: tenantId,
    group_id: tag.group_id ?? 0,
    group_name: tag.group_name ?? null,
    tag_name: tag.tag_name,
    note: '',
    created_at: created,
    updated_at: created,
    customer_id: customerId,
  };
}

function pickTags(r: Random): TagDefinition[] {
  const count = r.pick([0, 0, 1, 1, 1, 2, 2, 3]);
  const chosen = new Set<TagDefinition>();
  while (chosen.size < count) chosen.add(r.pick(TAG_SET));
  return [...chosen].sort((a, b) => (a.id < b.id ? -1 : 1));
}

function channelKey(sourceType: number, r: Random): string | null {
  if (sourceType === 3) return r.pick(BUSINESS_NUMBERS);
  if (sourceType === 6) return 'api-quentli-sync';
  if (sourceType === 10) return 'landing-colegiaturas';
  return null;
}

function birthday(r: Random): string {
  const day = new Date(Date.UTC(1960, 0, 1) + r.int(0, 45 * 365) * 86_400_000);
  return day.toISOString().slice(0, 10);
}

function maxBigInt(a: bigint, b: bigint): bigint {
  return a > b ? a : b;
}
