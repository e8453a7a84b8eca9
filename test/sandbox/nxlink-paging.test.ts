import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sandbox } from '../../src/sandbox/index.ts';
import { nxlinkBody, nxlinkQuery, start, type NxlinkAnswer } from './helpers.ts';

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await start();
});
afterAll(() => sandbox.close());

async function page(
  fields: Record<string, string | number | bigint | object>,
): Promise<NonNullable<NxlinkAnswer['data']>> {
  const { json } = await nxlinkQuery(sandbox, nxlinkBody(fields));
  expect(json.code).toBe(0);
  if (json.data === null) throw new Error(`NXLink refused: ${json.message}`);
  return json.data;
}

const ids = (data: NonNullable<NxlinkAnswer['data']>) => data.customer_list.map((c) => c.id);

describe('NXLink 64-bit integers', () => {
  it('writes ids, tenant ids and tag ids above 2^53 as bare, digit-exact numbers', async () => {
    const { text } = await nxlinkQuery(sandbox, nxlinkBody({ limit: 50 }));
    const stored = sandbox.nxlink.store.all().slice(0, 50);
    const served = [...text.matchAll(/\{"id":(\d+),"first_name"/g)].map((match) => match[1]);
    expect(served).toEqual(stored.map((c) => c.id.toString()));
    expect(stored.every((c) => c.id > 2n ** 53n)).toBe(true);
    expect(text).toContain(`"tenant_id":${sandbox.nxlink.store.tenantId}`);
    expect(text).not.toMatch(/"(id|tenant_id|customer_id|after|before|next|previous)":"/);
  });

  it('takes back paging.after as an exact cursor', async () => {
    const first = await page({ limit: 10 });
    const after = first.paging.after as bigint;
    expect(typeof after).toBe('bigint');
    const second = await page({ limit: 10, after });
    const all = sandbox.nxlink.store.all().map((c) => c.id);
    expect(ids(second)).toEqual(all.slice(10, 20));
  });

  it('does not match a cursor that a double would have rounded', async () => {
    const all = sandbox.nxlink.store.all().map((c) => c.id);
    const exact = all[9] as bigint;
    const rounded = BigInt(Number(exact));
    expect(rounded).not.toBe(exact);
    const fromExact = await page({ limit: 1, after: exact });
    expect(ids(fromExact)).toEqual([all[10]]);
  });
});

describe('NXLink forward paging', () => {
  it('returns every customer once, newest first, when following paging.after', async () => {
    const seen: bigint[] = [];
    let after: bigint | undefined;
    for (;;) {
      const data = await page(after === undefined ? { limit: 7 } : { limit: 7, after });
      seen.push(...ids(data));
      if (data.paging.next === null) break;
      after = data.paging.after as bigint;
    }
    expect(seen).toEqual(sandbox.nxlink.store.all().map((c) => c.id));
  });

  it('fills paging on the first, a middle and the last page', async () => {
    const all = sandbox.nxlink.store.all().map((c) => c.id);
    const first = await page({ limit: 10 });
    expect(first.paging).toEqual({ before: all[0], after: all[9], previous: null, next: all[10] });
    const middle = await page({ limit: 10, after: all[9] as bigint });
    expect(middle.paging).toEqual({ before: all[10], after: all[19], previous: all[0], next: all[20] });
    const last = await page({ limit: 10, after: all[all.length - 6] as bigint });
    expect(ids(last)).toEqual(all.slice(-5));
    expect(last.paging).toEqual({ before: all.at(-5), after: all.at(-1), previous: all.at(-15), next: null });
  });

  it('answers an empty page with all four paging fields null', async () => {
    const oldest = sandbox.nxlink.store.all().at(-1)?.id as bigint;
    const empty = await page({ limit: 10, after: oldest });
    expect(empty).toEqual({ paging: { after: null, before: null, previous: null, next: null }, customer_list: [] });
  });

  it('skips a customer when next is sent as after, which is why clients send paging.after', async () => {
    const all = sandbox.nxlink.store.all().map((c) => c.id);
    const first = await page({ limit: 5 });
    const wrong = await page({ limit: 5, after: first.paging.next as bigint });
    expect(ids(wrong)[0]).toBe(all[6]);
  });

  it('neither skips nor repeats when customers are inserted during the walk', async () => {
    const before = sandbox.nxlink.store.all().map((c) => c.id);
    const first = await page({ limit: 25 });
    const inserted = sandbox.nxlink.store.insert({ full_name: 'Nueva Clienta' });
    expect(inserted.id > (before[0] as bigint)).toBe(true);
    const seen = ids(first);
    let after = first.paging.after as bigint;
    for (;;) {
      const data = await page({ limit: 25, after });
      seen.push(...ids(data));
      if (data.paging.next === null) break;
      after = data.paging.after as bigint;
    }
    expect(seen).toEqual(before);
    expect(ids(await page({ limit: 1 }))).toEqual([inserted.id]);
  });
});

describe('NXLink backward paging', () => {
  it('answers before=0 with the oldest page, newest first', async () => {
    const all = sandbox.nxlink.store.all().map((c) => c.id);
    const oldest = await page({ limit: 10, before: 0 });
    expect(ids(oldest)).toEqual(all.slice(-10));
    expect(oldest.paging.next).toBeNull();
    expect(oldest.paging.previous).toBe(all.at(-20));
  });

  it('answers before=X with the customers just newer than X', async () => {
    const all = sandbox.nxlink.store.all().map((c) => c.id);
    const data = await page({ limit: 4, before: all[30] as bigint });
    expect(ids(data)).toEqual(all.slice(26, 30));
    expect(data.paging).toEqual({ before: all[26], after: all[29], previous: all[22], next: all[30] });
  });

  it('returns every customer once when walking back from the oldest page with paging.before', async () => {
    const pages: bigint[][] = [];
    let data = await page({ limit: 9, before: 0 });
    pages.push(ids(data));
    while (data.paging.previous !== null) {
      data = await page({ limit: 9, before: data.paging.before as bigint });
      pages.unshift(ids(data));
    }
    expect(pages.flat()).toEqual(sandbox.nxlink.store.all().map((c) => c.id));
    expect(pages.at(-1)).toHaveLength(9);
  });
});
