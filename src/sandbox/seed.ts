import { PeopleFactory, type Person } from './people.ts';
import { Random } from './random.ts';

/** Seeded customers were all created in the two years before this instant (2026-06-30Z). */
export const SEED_END_MS = Date.UTC(2026, 5, 30);
const DAY_MS = 86_400_000;
const SPAN_MS = 730 * DAY_MS;

/** What one upstream knows of a person; dirty records have some of it missing or wrong. */
export interface SeedIdentity {
  firstName: string | null;
  lastName: string | null;
  email: string | null;
  /** Digits with country code, no `+`. */
  phone: string | null;
  username: string;
  country: string;
}

export interface SeedCustomer {
  identity: SeedIdentity;
  createdAtMs: number;
  updatedAtMs: number;
  /** The same person (same phone, name and email) exists in the other source too. */
  shared: boolean;
  /** NXLink only: the phone is an SMS number and there is no WhatsApp number. */
  smsOnly: boolean;
}

export interface SeedPlan {
  quentli: SeedCustomer[];
  nxlink: SeedCustomer[];
  /** Keeps handing out unique people for customers created after seeding. */
  people: PeopleFactory;
  random: Random;
}

type Dirt = 'invalidEmail' | 'nullName' | 'nullPhone';
const DIRT_KINDS: readonly Dirt[] = ['invalidEmail', 'nullName', 'nullPhone'];

/**
 * Who lives in which source and when they were created. About a third of the people are in
 * both sources; the rest are in one. Timestamps include deliberate ties (within Quentli, within
 * NXLink at second precision, and the same instant across both), because those are the cases
 * where sloppy cursor code skips or repeats customers.
 */
export function planSeed(seed: number, customersPerSource: number): SeedPlan {
  const random = new Random(seed, 'sandbox');
  const people = new PeopleFactory(random.fork('people'));
  const times = random.fork('times');
  const dirt = random.fork('dirt');

  const sharedCount = Math.round(customersPerSource / 3);
  const onlyCount = customersPerSource - sharedCount;
  const sharedPeople = Array.from({ length: sharedCount }, () => people.person());
  const quentliPeople = Array.from({ length: onlyCount }, () => people.person());
  const nxlinkPeople = Array.from({ length: onlyCount }, () => people.person());

  const quentli = [
    ...sharedPeople.map((person) => customer(person, randomInstant(times), true)),
    ...quentliPeople.map((person, i) => customer(dirty(person, dirtOf(i, dirt)), randomInstant(times), false)),
  ];
  const nxlink = [
    ...sharedPeople.map((person) => customer(person, wholeSecond(randomInstant(times)), true)),
    ...nxlinkPeople.map((person, i) =>
      customer(dirty(person, dirtOf(i, dirt)), wholeSecond(randomInstant(times)), false),
    ),
  ];

  joinSomeRecords(quentli, nxlink, sharedCount);
  sameInstantAcrossSources(quentli, nxlink, sharedCount, times);
  copyInstants(quentli, sharedCount, 0.04, times);
  copyInstants(nxlink, sharedCount, 0.06, times);
  for (const [i, c] of nxlink.entries()) {
    c.smsOnly = i >= sharedCount && c.identity.phone !== null && (i === sharedCount + 3 || dirt.chance(0.08));
  }
  for (const c of [...quentli, ...nxlink]) c.updatedAtMs = updatedAfter(c.createdAtMs, times);
  return { quentli, nxlink, people, random };
}

function customer(identity: SeedIdentity, createdAtMs: number, shared: boolean): SeedCustomer {
  return { identity, createdAtMs, updatedAtMs: createdAtMs, shared, smsOnly: false };
}

function randomInstant(random: Random): number {
  return SEED_END_MS - 1 - Math.floor(random.next() * SPAN_MS);
}

function wholeSecond(ms: number): number {
  return ms - (ms % 1000);
}

function updatedAfter(createdAtMs: number, random: Random): number {
  if (random.chance(0.3)) return createdAtMs;
  const later = createdAtMs + random.int(1, 120) * DAY_MS + random.int(0, DAY_MS - 1);
  const clamped = Math.min(later, SEED_END_MS);
  return createdAtMs % 1000 === 0 ? wholeSecond(clamped) : clamped;
}

/** The first source-only records are dirty one way each, so every seed has each kind. */
function dirtOf(index: number, random: Random): Dirt | undefined {
  const forced = DIRT_KINDS[index];
  if (forced !== undefined) return forced;
  return random.chance(0.03) ? random.pick(DIRT_KINDS) : undefined;
}

function dirty(person: Person, kind: Dirt | undefined): SeedIdentity {
  const identity: SeedIdentity = { ...person };
  if (kind === 'nullName') {
    identity.firstName = null;
    identity.lastName = null;
  } else if (kind === 'nullPhone') {
    identity.phone = null;
  } else if (kind === 'invalidEmail') {
    const [local = '', domain = ''] = person.email.split('@');
    // Typos real forms let through: a doubled "@" without a TLD, or no "@" at all.
    identity.email = domain.length % 2 === 0 ? `${local}@@${domain.split('.')[0]}` : `${local}.${domain}`;
  }
  return identity;
}

/**
 * People are not always one record per system. Among the source-only records (offsets from
 * `sharedCount`; the first three are the forced dirty ones):
 * - Quentli +3 is a relative of shared person 1 on the same phone: one person, two Quentli records;
 * - NXLink +3 (SMS-only, see planSeed) texts from shared person 2's phone: two NXLink records,
 *   joined by the SMS phone;
 * - NXLink +4 shares NXLink +5's phone: an NXLink-only person with two records;
 * - Quentli +6 and NXLink +6 have no phone and the same email (Quentli's capitalised): one
 *   person matched by email.
 */
function joinSomeRecords(quentli: SeedCustomer[], nxlink: SeedCustomer[], sharedCount: number): void {
  const q = (offset: number) => quentli[sharedCount + offset]?.identity;
  const n = (offset: number) => nxlink[sharedCount + offset]?.identity;
  const relative = q(3);
  const sharedPhone = quentli[1]?.identity.phone;
  if (sharedCount > 2 && relative !== undefined && sharedPhone != null) relative.phone = sharedPhone;
  const texter = n(3);
  const frontDesk = nxlink[2]?.identity.phone;
  if (sharedCount > 2 && texter !== undefined && frontDesk != null) texter.phone = frontDesk;
  const [twin, other] = [n(4), n(5)];
  if (twin !== undefined && other?.phone != null) twin.phone = other.phone;
  const [byEmailQ, byEmailN] = [q(6), n(6)];
  if (byEmailQ !== undefined && byEmailN?.email != null) {
    byEmailQ.phone = null;
    byEmailN.phone = null;
    byEmailQ.email = byEmailN.email.charAt(0).toUpperCase() + byEmailN.email.slice(1);
  }
}

/** A quarter of the shared people were created at the same instant in both sources. */
function sameInstantAcrossSources(
  quentli: SeedCustomer[],
  nxlink: SeedCustomer[],
  sharedCount: number,
  random: Random,
): void {
  for (let i = 0; i < sharedCount; i += 1) {
    const q = quentli[i];
    const n = nxlink[i];
    if (q === undefined || n === undefined || !(i === 0 || random.chance(0.25))) continue;
    q.createdAtMs = wholeSecond(q.createdAtMs);
    n.createdAtMs = q.createdAtMs;
  }
}

/** Offsets (within the source-only customers) whose instant is forced onto another's. */
const FORCED_COPIES = new Map([
  [1, 0],
  [3, 2],
  [4, 2],
]);

/**
 * Gives some source-only customers the creation instant of another customer: pairs, and
 * triples when an instant is copied twice. A pair and a triple are forced so that even a
 * small seed has them.
 */
function copyInstants(customers: SeedCustomer[], from: number, rate: number, random: Random): void {
  for (let i = from + 1; i < customers.length; i += 1) {
    const c = customers[i];
    if (c === undefined) continue;
    const forced = FORCED_COPIES.get(i - from);
    if (forced === undefined && !random.chance(rate)) continue;
    const source = customers[forced === undefined ? random.int(0, i - 1) : from + forced];
    if (source !== undefined) c.createdAtMs = source.createdAtMs;
  }
}
