import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NxlinkCustomer, QuentliCustomer, Sandbox } from '../../src/sandbox/index.ts';
import { NXLINK, nxlinkBody, nxlinkQuery, param, quentliList, start } from './helpers.ts';

const SEED_END = Date.parse('2026-06-30T00:00:00Z');
const TWO_YEARS = 731 * 86_400_000;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

let sandbox: Sandbox;
let quentli: QuentliCustomer[];
let nxlink: NxlinkCustomer[];
beforeAll(async () => {
  sandbox = await start({ customersPerSource: 300 });
  quentli = sandbox.quentli.store.all();
  nxlink = sandbox.nxlink.store.all();
});
afterAll(() => sandbox.close());

function groupSizes<T>(items: readonly T[], key: (item: T) => string): number[] {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(key(item), (counts.get(key(item)) ?? 0) + 1);
  return [...counts.values()];
}

describe('Seed determinism', () => {
  it('gives identical data for the same seed and different data for another', async () => {
    const [same, other] = await Promise.all([
      start({ customersPerSource: 300 }),
      start({ customersPerSource: 300, seed: 2 }),
    ]);
    try {
      expect(same.quentli.store.all()).toEqual(quentli);
      expect(same.nxlink.store.all()).toEqual(nxlink);
      expect(other.quentli.store.all().map((c) => c.id)).not.toEqual(quentli.map((c) => c.id));
    } finally {
      await Promise.all([same.close(), other.close()]);
    }
  });
});

describe('Seeded Quentli customers', () => {
  it('have the requested count, unique cuid ids and ISO UTC timestamps with milliseconds', () => {
    expect(quentli).toHaveLength(300);
    expect(new Set(quentli.map((c) => c.id)).size).toBe(300);
    for (const c of quentli) {
      expect(c.id).toMatch(/^c[a-z0-9]{24}$/);
      expect(c.createdAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
      expect(Date.parse(c.updatedAt)).toBeGreaterThanOrEqual(Date.parse(c.createdAt));
      expect(Date.parse(c.createdAt)).toBeGreaterThan(SEED_END - TWO_YEARS);
      expect(Date.parse(c.createdAt)).toBeLessThan(SEED_END);
    }
  });

  it('are realistic Latin-American people with E.164 phones, most of them Mexican', () => {
    expect(quentli.some((c) => /[áéíóúñÁÉÍÓÚÑ]/.test(c.name ?? ''))).toBe(true);
    const phones = quentli.flatMap((c) => (c.phoneNumber === null ? [] : [c.phoneNumber]));
    expect(phones.every((phone) => /^\+[1-9]\d{9,13}$/.test(phone))).toBe(true);
    expect(phones.filter((phone) => phone.startsWith('+52')).length).toBeGreaterThan(phones.length * 0.7);
  });

  it('include dirty records: an invalid email, a null name, a null phone', () => {
    expect(quentli.some((c) => c.email !== null && !EMAIL.test(c.email))).toBe(true);
    expect(quentli.some((c) => c.name === null)).toBe(true);
    expect(quentli.some((c) => c.phoneNumber === null)).toBe(true);
  });

  it('include pairs and triples with the same createdAt', () => {
    const sizes = groupSizes(quentli, (c) => c.createdAt);
    expect(sizes.filter((size) => size === 2).length).toBeGreaterThan(0);
    expect(Math.max(...sizes)).toBeGreaterThanOrEqual(3);
  });
});

describe('Seeded NXLink customers', () => {
  it('have the documented fields in the documented order', () => {
    const fields =
      'id first_name last_name full_name sms_phone whatsApp_phone viber_phone line messenger instagram email country birthday remark source_type source_channel_key gender created_at status updated_at web tags whatApp_subscribe sms_subscribe customize_field tenant_id weight';
    const tagFields = 'id user_id tenant_id group_id group_name tag_name note created_at updated_at customer_id';
    expect(Object.keys(nxlink[0] ?? {}).join(' ')).toBe(fields);
    const tag = nxlink.find((c) => c.tags.length > 0)?.tags[0];
    expect(Object.keys(tag ?? {}).join(' ')).toBe(tagFields);
  });

  it('have snowflake ids above 2^53, strictly decreasing newest first and growing with created_at', () => {
    for (const [i, c] of nxlink.entries()) {
      expect(c.id > 2n ** 53n).toBe(true);
      expect(c.tenant_id).toBe(BigInt(NXLINK.tenantId));
      const older = nxlink[i + 1];
      if (older === undefined) continue;
      expect(c.id > older.id).toBe(true);
      expect(c.created_at >= older.created_at).toBe(true);
    }
  });

  it('write offset-less local times, several customers sharing a second', () => {
    expect(nxlink.every((c) => /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/.test(c.created_at))).toBe(true);
    expect(Math.max(...groupSizes(nxlink, (c) => c.created_at))).toBeGreaterThanOrEqual(3);
  });

  it('write created_at in the configured time zone', async () => {
    const utc = await start({ customersPerSource: 300, nxlink: { ...NXLINK, timeZone: 'UTC' } });
    try {
      const [mexico, inUtc] = [nxlink[0], utc.nxlink.store.all()[0]];
      const instant = (text: string, zone: string) => DateTime.fromISO(text, { zone }).toMillis();
      expect(mexico?.id).toBe(inUtc?.id);
      expect(mexico?.created_at).not.toBe(inUtc?.created_at);
      expect(instant(mexico?.created_at ?? '', NXLINK.timeZone)).toBe(instant(inUtc?.created_at ?? '', 'UTC'));
    } finally {
      await utc.close();
    }
  });

  it('include dirty records and SMS-only customers', () => {
    expect(nxlink.some((c) => c.email !== null && !EMAIL.test(c.email))).toBe(true);
    expect(nxlink.some((c) => c.full_name === null)).toBe(true);
    expect(nxlink.some((c) => c.whatsApp_phone === null && c.sms_phone === null)).toBe(true);
    expect(nxlink.some((c) => c.whatsApp_phone === null && c.sms_phone !== null)).toBe(true);
    expect(
      nxlink.every((c) => [c.whatsApp_phone, c.sms_phone].every((p) => p === null || /^[1-9]\d{9,13}$/.test(p))),
    ).toBe(true);
  });

  it('carry tags from a small set, some with ids above 2^53, and every customize_field variant', () => {
    const tagIds = new Set(nxlink.flatMap((c) => c.tags.map((tag) => tag.id)));
    expect(tagIds.size).toBeLessThanOrEqual(10);
    expect([...tagIds].filter((id) => id > 2n ** 53n).length).toBeGreaterThanOrEqual(2);
    const fields = nxlink.map((c) => c.customize_field);
    expect(fields).toContain(null);
    expect(fields).toContain('');
    const parsed = fields.filter((f): f is string => f !== null && f !== '').map((f) => JSON.parse(f) as unknown);
    expect(parsed.length).toBeGreaterThan(0);
    expect(parsed.every((value) => typeof value === 'object' && value !== null && !Array.isArray(value))).toBe(true);
  });
});

describe('People in both sources', () => {
  it('are about a third, with the same phone, name and email', () => {
    const byPhone = new Map<string, QuentliCustomer[]>();
    for (const c of quentli)
      if (c.phoneNumber !== null)
        byPhone.set(c.phoneNumber.slice(1), [...(byPhone.get(c.phoneNumber.slice(1)) ?? []), c]);
    const shared = nxlink.filter((c) => c.whatsApp_phone !== null && byPhone.has(c.whatsApp_phone));
    expect(shared).toHaveLength(100);
    for (const n of shared) {
      const q = byPhone.get(n.whatsApp_phone ?? '')?.find((c) => c.name === n.full_name);
      expect(q?.email).toBe(n.email);
    }
  });

  it('include a shared phone in each source, an SMS-only record joined by phone, and records joined by email only', () => {
    const phoneCount = (phones: (string | null)[]) => {
      const counts = new Map<string, number>();
      for (const phone of phones) if (phone !== null) counts.set(phone, (counts.get(phone) ?? 0) + 1);
      return [...counts.values()];
    };
    expect(phoneCount(quentli.map((c) => c.phoneNumber)).some((count) => count === 2)).toBe(true);
    expect(phoneCount(nxlink.map((c) => c.whatsApp_phone ?? c.sms_phone)).some((count) => count === 2)).toBe(true);
    const quentliPhones = new Set(quentli.map((c) => c.phoneNumber?.slice(1)));
    expect(
      nxlink.some((c) => c.whatsApp_phone === null && c.sms_phone !== null && quentliPhones.has(c.sms_phone)),
    ).toBe(true);
    const phoneless = new Set(
      nxlink.filter((c) => c.whatsApp_phone === null && c.sms_phone === null).map((c) => c.email),
    );
    const byEmail = quentli.filter(
      (c) => c.phoneNumber === null && c.email !== null && phoneless.has(c.email.toLowerCase()),
    );
    expect(byEmail.some((c) => c.email !== c.email?.toLowerCase())).toBe(true);
  });

  it('include some created at the same instant in both', () => {
    const instants = new Set(quentli.map((c) => Date.parse(c.createdAt)));
    const same = nxlink.filter((c) =>
      instants.has(DateTime.fromISO(c.created_at, { zone: NXLINK.timeZone }).toMillis()),
    );
    expect(same.length).toBeGreaterThan(0);
  });
});

describe('Large seeds', () => {
  it('seed 10 000 customers per source quickly and keep list requests fast', async () => {
    // Measured against the same work on a tenth of the customers, on the same machine at the same
    // time: linear work takes at most 10 times as long, quadratic work 100 times. The bound (25
    // times, plus a little for timer noise) catches the latter on a loaded machine as on an idle one.
    const seeded = async (customersPerSource: number) => {
      const started = performance.now();
      const sandbox = await start({ customersPerSource });
      return { sandbox, ms: performance.now() - started };
    };
    // The fastest of three rounds: one pause of a loaded machine must not pass for slow code.
    const lists = async (sandbox: Awaited<ReturnType<typeof start>>, n: number) => {
      const rounds = [await listOnce(sandbox, n), await listOnce(sandbox, n), await listOnce(sandbox, n)];
      return rounds.reduce((fastest, round) => (round.ms < fastest.ms ? round : fastest));
    };
    const listOnce = async (sandbox: Awaited<ReturnType<typeof start>>, n: number) => {
      const started = performance.now();
      const deep = await quentliList<QuentliCustomer[]>(
        sandbox,
        `limit=100&offset=${n - 150}&${param('filter', 'name[contains]=a')}`,
      );
      const sorted = await quentliList<QuentliCustomer[]>(
        sandbox,
        `limit=100&offset=${n / 2}&${param('orderBy', 'name=asc')}`,
      );
      const queried = await nxlinkQuery(sandbox, nxlinkBody({ limit: 50, name: 'ana' }));
      return { deep, sorted, queried, ms: performance.now() - started };
    };
    const small = await seeded(1_000);
    const smallLists = await lists(small.sandbox, 1_000);
    await small.sandbox.close();
    const large = await seeded(10_000);
    try {
      expect(large.ms).toBeLessThan(25 * small.ms + 200);
      const largeLists = await lists(large.sandbox, 10_000);
      expect(largeLists.ms).toBeLessThan(25 * smallLists.ms + 200);
      expect(largeLists.deep.status).toBe(200);
      expect(largeLists.sorted.json).toHaveLength(100);
      expect(largeLists.queried.json.code).toBe(0);
    } finally {
      await large.sandbox.close();
    }
  });
});
