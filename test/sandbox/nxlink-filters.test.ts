import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NxlinkCustomer, Sandbox } from '../../src/sandbox/index.ts';
import { nxlinkBody, nxlinkQuery, start } from './helpers.ts';

let sandbox: Sandbox;
let all: NxlinkCustomer[];
beforeAll(async () => {
  sandbox = await start({ customersPerSource: 300 });
  all = sandbox.nxlink.store.all();
});
afterAll(() => sandbox.close());

/** Every id the filter selects, following paging.after to the end. */
async function select(filter: Record<string, string | number | bigint | object>): Promise<bigint[]> {
  const found: bigint[] = [];
  let after: bigint | undefined;
  for (;;) {
    const { json } = await nxlinkQuery(
      sandbox,
      nxlinkBody({ ...filter, limit: 50, ...(after === undefined ? {} : { after }) }),
    );
    if (json.data === null) throw new Error(`NXLink refused: ${json.message}`);
    found.push(...json.data.customer_list.map((c) => c.id));
    if (json.data.paging.next === null) return found;
    after = json.data.paging.after as bigint;
  }
}

const idsOf = (predicate: (c: NxlinkCustomer) => boolean) => all.filter(predicate).map((c) => c.id);

describe('NXLink filters', () => {
  it('finds names by case-insensitive substring of full_name', async () => {
    const expected = idsOf((c) => c.full_name?.toLowerCase().includes('ñúñez') === true);
    expect(expected.length).toBeGreaterThan(0);
    expect(await select({ name: 'ÑÚÑEZ' })).toEqual(expected);
  });

  it('matches email exactly, ignoring letter case', async () => {
    const target = all.find((c) => c.email !== null) as NxlinkCustomer;
    expect(await select({ email: target.email?.toUpperCase() ?? '' })).toEqual([target.id]);
    expect(await select({ email: target.email?.slice(1) ?? '' })).toEqual([]);
  });

  it('matches the WhatsApp phone exactly and finds SMS-only customers by sms_phone', async () => {
    const target = all.find((c) => c.whatsApp_phone !== null) as NxlinkCustomer;
    expect(await select({ whatsApp_phone: target.whatsApp_phone ?? '' })).toEqual([target.id]);
    const smsOnly = all.find((c) => c.whatsApp_phone === null && c.sms_phone !== null) as NxlinkCustomer;
    expect(await select({ whatsApp_phone: smsOnly.sms_phone ?? '' })).toEqual([]);
    expect(await select({ sms_phone: smsOnly.sms_phone ?? '' })).toEqual([smsOnly.id]);
  });

  it('takes start_time inclusive and end_time exclusive, compared with created_at', async () => {
    const pivot = all[60] as NxlinkCustomer;
    const local = pivot.created_at.replace('T', ' ');
    const fromPivot = await select({ start_time: local });
    expect(fromPivot).toEqual(idsOf((c) => c.created_at >= pivot.created_at));
    expect(fromPivot).toContain(pivot.id);
    const untilPivot = await select({ end_time: local });
    expect(untilPivot).toEqual(idsOf((c) => c.created_at < pivot.created_at));
    expect(untilPivot).not.toContain(pivot.id);
  });

  it('treats empty strings as "not selected"', async () => {
    expect(await select({ name: '', email: '', start_time: '', tags_logic_type: '' })).toHaveLength(all.length);
  });

  it('selects tags with "or" by default and "and" on request, tag ids compared exactly', async () => {
    const big = { id: 9007199254740993n, tag_name: 'Campaña Verano' };
    const vip = { id: 27301, tag_name: 'VIP' };
    const has = (c: NxlinkCustomer, id: bigint) => c.tags.some((tag) => tag.id === id);
    const either = idsOf((c) => has(c, big.id) || has(c, 27301n));
    const both = idsOf((c) => has(c, big.id) && has(c, 27301n));
    expect(either.length).toBeGreaterThan(both.length);
    expect(await select({ tags: [big, vip] })).toEqual(either);
    expect(await select({ tags: [big, vip], tags_logic_type: 'or' })).toEqual(either);
    expect(await select({ tags: [big, vip], tags_logic_type: 'and' })).toEqual(both);
    expect(await select({ tags: [{ id: 9007199254740992n, tag_name: 'Campaña Verano' }] })).toEqual([]);
  });

  it('matches his_tags against the current tags', async () => {
    const recompra = 1021110718827690001n;
    expect(await select({ his_tags: [{ id: recompra, tag_name: 'Recompra' }] })).toEqual(
      idsOf((c) => c.tags.some((tag) => tag.id === recompra)),
    );
  });

  it('filters by source_type and source_channel_key, AND-ed with other filters', async () => {
    expect(await select({ source_type: 3 })).toEqual(idsOf((c) => c.source_type === 3));
    const key = all.find((c) => c.source_channel_key !== null)?.source_channel_key ?? '';
    expect(await select({ source_type: 3, source_channel_key: key })).toEqual(
      idsOf((c) => c.source_type === 3 && c.source_channel_key === key),
    );
  });

  it('pages within the filtered customers', async () => {
    const expected = idsOf((c) => c.source_type === 1);
    const { json } = await nxlinkQuery(sandbox, nxlinkBody({ source_type: 1, limit: 3 }));
    expect(json.data?.customer_list.map((c) => c.id)).toEqual(expected.slice(0, 3));
    expect(json.data?.paging.next).toBe(expected[3]);
  });
});

describe('NXLink phone look-ups', () => {
  it('find every customer with the phone, newest first, inserted ones too, and apply the other filters to them', async () => {
    const own = await start({ customersPerSource: 50 });
    try {
      // A phone no other seeded customer has (the seed shares a few phones on purpose).
      const all = own.nxlink.store.all();
      const target = all.find(
        (c) =>
          c.whatsApp_phone !== null && all.filter((other) => other.whatsApp_phone === c.whatsApp_phone).length === 1,
      ) as NxlinkCustomer;
      const phone = target.whatsApp_phone ?? '';
      const twin = own.nxlink.store.insert({ whatsApp_phone: phone, full_name: 'Gemela Telefónica' });
      const ids = async (filter: Record<string, string>) => {
        const { json } = await nxlinkQuery(own, nxlinkBody({ ...filter, limit: 50 }));
        return json.data?.customer_list.map((c) => c.id);
      };
      expect(await ids({ whatsApp_phone: phone })).toEqual([twin.id, target.id]);
      expect(await ids({ whatsApp_phone: phone, name: 'gemela' })).toEqual([twin.id]);
      expect(await ids({ sms_phone: phone })).toEqual(
        own.nxlink.store
          .all()
          .filter((c) => c.sms_phone === phone)
          .map((c) => c.id),
      );
    } finally {
      await own.close();
    }
  });
});
