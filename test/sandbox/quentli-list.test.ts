import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sandbox } from '../../src/sandbox/index.ts';
import { param, quentliList, start } from './helpers.ts';

type Customer = { id: string; createdAt: string; name: string | null };

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await start();
});
afterAll(() => sandbox.close());

async function everyPage(query = ''): Promise<Customer[]> {
  const all: Customer[] = [];
  for (let offset = 0; ; offset += 100) {
    const { json } = await quentliList<Customer[]>(
      sandbox,
      `limit=100&offset=${offset}${query === '' ? '' : `&${query}`}`,
    );
    all.push(...json);
    if (json.length < 100) return all;
  }
}

describe('Quentli authentication', () => {
  it('answers 401 with an UNAUTHORIZED error body when the key is missing', async () => {
    const answer = await quentliList(sandbox, '', {});
    expect(answer.status).toBe(401);
    expect(answer.json).toEqual({ error: { code: 'UNAUTHORIZED', message: expect.any(String) } });
  });

  it('answers 401 when the key is wrong, without echoing it', async () => {
    const answer = await quentliList(sandbox, '', { authorization: 'Bearer sk_wrong_key' });
    expect(answer.status).toBe(401);
    expect(answer.text).not.toContain('sk_wrong_key');
  });

  it('records rejected requests with their headers', async () => {
    sandbox.quentli.resetRequests();
    await quentliList(sandbox, 'limit=5', { authorization: 'Bearer nope' });
    expect(sandbox.quentli.requests).toEqual([
      expect.objectContaining({ method: 'GET', path: '/v1/customers', query: 'limit=5', body: '' }),
    ]);
    expect(sandbox.quentli.requests[0]?.headers.authorization).toBe('Bearer nope');
  });
});

describe('Quentli default order', () => {
  it('lists every customer by createdAt descending, then id descending', async () => {
    const listed = await everyPage();
    expect(listed.map((c) => c.id)).toEqual(sandbox.quentli.store.all().map((c) => c.id));
    for (const [i, customer] of listed.entries()) {
      const next = listed[i + 1];
      if (next === undefined) continue;
      const order = Date.parse(next.createdAt) - Date.parse(customer.createdAt) || (next.id < customer.id ? -1 : 1);
      expect(order).toBeLessThan(0);
    }
  });

  it('serves a bare JSON array of 20 customers by default', async () => {
    const { status, json } = await quentliList<Customer[]>(sandbox);
    expect(status).toBe(200);
    expect(json).toHaveLength(20);
  });
});

describe('Quentli limit and offset', () => {
  it('accepts limits from 1 to 100', async () => {
    expect((await quentliList<Customer[]>(sandbox, 'limit=1')).json).toHaveLength(1);
    expect((await quentliList<Customer[]>(sandbox, 'limit=100')).json).toHaveLength(100);
  });

  it.each([
    'limit=0',
    'limit=101',
    'limit=-1',
    'limit=abc',
    'limit=2.5',
    'limit=',
    'offset=-1',
    'offset=x',
    'limit=1&limit=2',
  ])('refuses %s with 400 BAD_REQUEST naming the parameter', async (query) => {
    const { status, json } = await quentliList<{ error: { code: string; message: string } }>(sandbox, query);
    expect(status).toBe(400);
    expect(json.error.code).toBe('BAD_REQUEST');
    expect(json.error.message).toMatch(/limit|offset/);
  });

  it('answers an empty array for an offset past the end', async () => {
    const { status, json } = await quentliList(sandbox, `offset=${sandbox.quentli.store.size}`);
    expect(status).toBe(200);
    expect(json).toEqual([]);
  });

  it('pages by offset without gaps or repeats', async () => {
    const first = (await quentliList<Customer[]>(sandbox, 'limit=7&offset=0')).json;
    const second = (await quentliList<Customer[]>(sandbox, 'limit=7&offset=7')).json;
    const both = (await quentliList<Customer[]>(sandbox, 'limit=14')).json;
    expect([...first, ...second]).toEqual(both);
  });
});

describe('Quentli filter', () => {
  it('selects customers by id[in], also beyond the 20 items qs keeps as an array by default', async () => {
    const ids = sandbox.quentli.store
      .all()
      .map((c) => c.id)
      .slice(3, 33)
      .reverse();
    const filter = ids.map((id, i) => `id[in][${i}]=${id}`).join('&');
    const { json } = await quentliList<Customer[]>(sandbox, `limit=100&${param('filter', filter)}`);
    expect(json.map((c) => c.id).sort()).toEqual([...ids].sort());
  });

  it('reads the same filter nested in the query string', async () => {
    const id = sandbox.quentli.store.all()[5]?.id ?? '';
    const { json } = await quentliList<Customer[]>(sandbox, `filter[id][in][0]=${id}`);
    expect(json.map((c) => c.id)).toEqual([id]);
  });

  it('matches name[contains] case-sensitively, or with mode=insensitive regardless of case and accents kept', async () => {
    const named = sandbox.quentli.store.all().filter((c) => c.name?.includes('José'));
    expect(named.length).toBeGreaterThan(0);
    const sensitive = await everyPage(param('filter', 'name[contains]=JOSÉ'));
    expect(sensitive).toEqual([]);
    const insensitive = await everyPage(param('filter', 'name[contains]=JOSÉ&name[mode]=insensitive'));
    expect(insensitive.map((c) => c.id)).toEqual(
      sandbox.quentli.store
        .all()
        .filter((c) => c.name?.toLowerCase().includes('josé'))
        .map((c) => c.id),
    );
  });

  it('combines alternatives with OR', async () => {
    const [a, b] = sandbox.quentli.store.all();
    const filter = `OR[0][id]=${a?.id}&OR[1][email][equals]=${encodeURIComponent(b?.email ?? '')}`;
    const { json } = await quentliList<Customer[]>(sandbox, param('filter', filter));
    expect(json.map((c) => c.id)).toEqual([a?.id, b?.id]);
  });

  it('compares createdAt as instants, whatever the offset written', async () => {
    const pivot = sandbox.quentli.store.all()[40]?.createdAt ?? '';
    const expected = sandbox.quentli.store.all().filter((c) => Date.parse(c.createdAt) < Date.parse(pivot));
    const inMexico = new Date(Date.parse(pivot) - 6 * 3_600_000).toISOString().replace('Z', '-06:00');
    for (const bound of [pivot, inMexico]) {
      const listed = await everyPage(param('filter', `createdAt[lt]=${bound}`));
      expect(listed.map((c) => c.id)).toEqual(expected.map((c) => c.id));
    }
  });

  it('treats a null field as unknown: not[contains] skips null names, equals null finds them', async () => {
    const all = sandbox.quentli.store.all();
    const nullNames = await everyPage(param('filter', 'name[equals]'));
    expect(nullNames.map((c) => c.id)).toEqual(all.filter((c) => c.name === null).map((c) => c.id));
    expect(nullNames.length).toBeGreaterThan(0);
    const notJose = await everyPage(param('filter', 'name[not][contains]=José'));
    expect(notJose.map((c) => c.id)).toEqual(
      all.filter((c) => c.name !== null && !c.name.includes('José')).map((c) => c.id),
    );
  });

  it('filters on the archived and noPayments flags', async () => {
    const archived = await everyPage(param('filter', 'archived=true'));
    expect(archived.length).toBeGreaterThan(0);
    expect(archived.map((c) => c.id)).toEqual(
      sandbox.quentli.store
        .all()
        .filter((c) => c.archivedAt !== null)
        .map((c) => c.id),
    );
    const noPayments = await everyPage(param('filter', 'noPayments=true'));
    const withPayments = await everyPage(param('filter', 'noPayments=false'));
    expect(noPayments.length + withPayments.length).toBe(sandbox.quentli.store.size);
  });

  it.each([
    ['an unknown query parameter', 'search=ana', /Unknown query parameter "search"/],
    ['an unknown filter field', param('filter', 'fullName[contains]=ana'), /Unknown filter field "fullName"/],
    ['an unknown operator', param('filter', 'name[like]=ana'), /Unknown operator "like"/],
    [
      'a date that is not ISO 8601 with an offset',
      param('filter', 'createdAt[lt]=2025-01-01'),
      /createdAt\.lt must be an ISO 8601/,
    ],
    [
      'mode on a date field',
      param('filter', 'createdAt[gt]=2025-01-01T00:00:00Z&createdAt[mode]=insensitive'),
      /mode applies to text/,
    ],
    ['contains on a date field', param('filter', 'createdAt[contains]=2025'), /contains applies to text/],
    ['a flag that is not a boolean', param('filter', 'archived=yes'), /archived must be true or false/],
    ['OR that is not a list', param('filter', 'OR[name]=ana'), /OR must be a list/],
    ['a filter left unencoded in the query', 'filter=name[contains]=ana&limit=5', /Unknown query parameter/],
    ['nesting deeper than qs reads', param('filter', `AND${'[0][AND]'.repeat(5)}[0][name]=x`), /could not be parsed/],
  ])('answers 400 for %s, saying what was wrong', async (_, query, message) => {
    const { status, json } = await quentliList<{ error: { code: string; message: string } }>(sandbox, query);
    expect(status).toBe(400);
    expect(json.error.code).toBe('BAD_REQUEST');
    expect(json.error.message).toMatch(message);
  });
});

describe('Quentli orderBy', () => {
  /** Code-unit order, nulls last; the direction flips both, so descending puts nulls first. */
  const byName = (direction: 'asc' | 'desc') => (a: Customer, b: Customer) => {
    const names = a.name === b.name ? 0 : a.name === null ? 1 : b.name === null ? -1 : a.name < b.name ? -1 : 1;
    return (direction === 'asc' ? names : -names) || (a.id < b.id ? 1 : -1);
  };

  it('sorts by a list of keys written nested in the query, null names last when ascending', async () => {
    const listed = await everyPage('orderBy[0][name]=asc&orderBy[1][id]=desc');
    const expected = sandbox.quentli.store.all().sort(byName('asc'));
    expect(listed.map((c) => c.id)).toEqual(expected.map((c) => c.id));
    expect(listed.at(-1)?.name).toBeNull();
  });

  it('sorts by a list given as the qs text of orderBy, null names first when descending', async () => {
    const listed = await everyPage(param('orderBy', '0[name]=desc&1[id]=desc'));
    expect(listed[0]?.name).toBeNull();
    expect(listed.map((c) => c.id)).toEqual(
      sandbox.quentli.store
        .all()
        .sort(byName('desc'))
        .map((c) => c.id),
    );
  });

  it('accepts a single key as a plain object', async () => {
    const listed = await everyPage(param('orderBy', 'createdAt=asc'));
    const instants = listed.map((c) => Date.parse(c.createdAt));
    expect(instants).toEqual([...instants].sort((a, b) => a - b));
  });

  it('breaks ties that orderBy leaves open in an order that is not id order', async () => {
    const createdAt = '2026-01-15T12:00:00.000Z';
    const ids = ['1', '2', '3', '4', '5', '6'].map((n) => `ctie0000000000000000000${n.padStart(2, '0')}`);
    const tied = await start({ customersPerSource: 0 });
    try {
      for (const id of ids) tied.quentli.store.insert({ id, createdAt });
      const listed = (await quentliList<Customer[]>(tied, param('orderBy', 'createdAt=desc'))).json.map((c) => c.id);
      expect([...listed].sort()).toEqual(ids);
      expect(listed).not.toEqual(ids);
      expect(listed).not.toEqual([...ids].reverse());
      const withId = (await quentliList<Customer[]>(tied, 'orderBy[0][createdAt]=desc&orderBy[1][id]=asc')).json.map(
        (c) => c.id,
      );
      expect(withId).toEqual(ids);
    } finally {
      await tied.close();
    }
  });

  it.each([
    ['an unknown field', param('orderBy', 'email=asc'), /Unknown orderBy field "email"/],
    ['a bad direction', param('orderBy', 'createdAt=DESC'), /must be "asc" or "desc"/],
    ['two fields in one entry', param('orderBy', 'createdAt=desc&id=desc'), /exactly one field/],
  ])('answers 400 for %s', async (_, query, message) => {
    const { status, json } = await quentliList<{ error: { code: string; message: string } }>(sandbox, query);
    expect(status).toBe(400);
    expect(json.error.message).toMatch(message);
  });
});

describe('Quentli phone look-ups', () => {
  it('find customers by phoneNumber in and equals, newest first, after inserts and phone changes too', async () => {
    const own = await start({ customersPerSource: 50 });
    try {
      const [first, second] = own.quentli.store.all().filter((c) => c.phoneNumber !== null) as {
        id: string;
        phoneNumber: string;
      }[];
      const twin = own.quentli.store.insert({ phoneNumber: first!.phoneNumber, name: 'Gemela' });
      own.quentli.store.update(second!.id, { phoneNumber: '+525500000001' });
      const ids = async (query: string) => (await quentliList<Customer[]>(own, query)).json.map((c) => c.id);
      const byIn = `filter[phoneNumber][in][0]=${encodeURIComponent(first!.phoneNumber)}&filter[phoneNumber][in][1]=${encodeURIComponent(second!.phoneNumber)}`;
      expect(await ids(byIn)).toEqual([twin.id, first!.id]);
      expect(await ids(`filter[phoneNumber][equals]=${encodeURIComponent('+525500000001')}`)).toEqual([second!.id]);
      expect(await ids(`${byIn}&filter[name][contains]=Gemela`)).toEqual([twin.id]);
      // With an orderBy, as the gateway sends them, in that order.
      expect(await ids(`${byIn}&orderBy[createdAt]=asc`)).toEqual([first!.id, twin.id]);
      expect(await ids(`${byIn}&orderBy[createdAt]=desc&limit=1`)).toEqual([twin.id]);
    } finally {
      await own.close();
    }
  });
});

describe('Quentli email look-ups', () => {
  it('find customers by an OR of email equalities, newest first, regardless of case only when insensitive, after writes too', async () => {
    const own = await start({ customersPerSource: 50 });
    try {
      const [first, second] = own.quentli.store.all().filter((c) => c.email !== null) as {
        id: string;
        email: string;
      }[];
      const added = own.quentli.store.insert({ email: 'Nueva.Clienta@example.com', name: 'Nueva' });
      own.quentli.store.update(second!.id, { email: 'cambiado@example.com' });
      const ids = async (query: string) => (await quentliList<Customer[]>(own, query)).json.map((c) => c.id);
      const equality = (index: number, email: string, insensitive: boolean) =>
        `filter[OR][${index}][email][equals]=${encodeURIComponent(email)}${insensitive ? `&filter[OR][${index}][email][mode]=insensitive` : ''}`;
      const shouted = first!.email.toUpperCase();
      expect(
        await ids(
          [
            equality(0, shouted, true),
            equality(1, 'nueva.clienta@example.com', true),
            equality(2, second!.email, true),
          ].join('&'),
        ),
      ).toEqual([added.id, first!.id]);
      expect(await ids(equality(0, shouted, false))).toEqual(shouted === first!.email ? [first!.id] : []);
      expect(await ids(`filter[email][equals]=${encodeURIComponent('cambiado@example.com')}`)).toEqual([second!.id]);
      expect(
        await ids(
          `${equality(0, 'nueva.clienta@example.com', true)}&${equality(1, shouted, true)}&filter[name][equals]=Nueva`,
        ),
      ).toEqual([added.id]);
    } finally {
      await own.close();
    }
  });
});

describe('Quentli createdAt look-ups', () => {
  it('find every customer created at one instant, whatever the offset written, in the order asked, after inserts too', async () => {
    const own = await start({ customersPerSource: 50 });
    try {
      const [first] = own.quentli.store.all() as { id: string; createdAt: string }[];
      const instant = first!.createdAt;
      const tied = own.quentli.store.insert({ name: 'Empate', createdAt: instant });
      const ids = async (query: string) => (await quentliList<Customer[]>(own, query)).json.map((c) => c.id);
      const byId = [first!.id, tied.id].sort();
      expect(await ids(`filter[createdAt]=${encodeURIComponent(instant)}&orderBy[id]=asc`)).toEqual(byId);
      expect(await ids(`filter[createdAt][equals]=${encodeURIComponent(instant)}&orderBy[id]=desc&limit=1`)).toEqual([
        byId[1],
      ]);
      const offset = new Date(Date.parse(instant)).toISOString().replace('Z', '+00:00');
      expect(await ids(`filter[createdAt]=${encodeURIComponent(offset)}&orderBy[id]=asc`)).toEqual(byId);
      expect(await ids(`filter[createdAt]=${encodeURIComponent('2001-01-01T00:00:00Z')}`)).toEqual([]);
    } finally {
      await own.close();
    }
  });
});
