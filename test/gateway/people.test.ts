import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../support/gateway.ts';
import {
  allRecords,
  PEOPLE_QUERY,
  PERSON_FIELDS,
  recordName,
  recordsOf,
  truthKey,
  truthPeople,
  walkPeople,
  type PersonNode,
  type TruthPerson,
  type TruthRecord,
} from '../support/people.ts';

let gateway: TestGateway;
let records: TruthRecord[];
let truth: TruthPerson[];

beforeAll(async () => {
  gateway = await startTestGateway({ SANDBOX_CUSTOMERS: '120' });
  records = await allRecords(gateway);
  truth = truthPeople(records);
});
afterAll(() => gateway.close());

const asTruth = (people: PersonNode[]) => people.map(recordsOf);
const truthOf = (people: TruthPerson[]) => people.map((person) => person.records);
const personWith = (name: string) => truth.find((person) => person.records.includes(name));

describe('The sandbox seed', () => {
  it('holds shared phones, people of one system, an SMS-joined record and an email-only match', () => {
    const multi = truth.filter((person) => person.records.length > 1);
    expect(
      multi.some((p) => p.key.startsWith('phone:') && p.records.filter((r) => r.startsWith('Q:')).length === 2),
    ).toBe(true);
    expect(
      multi.some(
        (p) =>
          p.key.startsWith('phone:') &&
          p.records.filter((r) => r.startsWith('N:')).length === 2 &&
          p.presence === 'BOTH',
      ),
    ).toBe(true);
    expect(multi.some((p) => p.key.startsWith('phone:') && p.presence === 'NXLINK_ONLY')).toBe(true);
    expect(multi.some((p) => p.key.startsWith('email:') && p.presence === 'BOTH')).toBe(true);
    expect(truth.some((p) => p.presence === 'QUENTLI_ONLY')).toBe(true);
    expect(truth.some((p) => p.presence === 'NXLINK_ONLY')).toBe(true);
    expect(truth.length).toBeLessThan(records.length);
  });
});

describe('A full walk of people', () => {
  it.each([
    ['forward', 25],
    ['backward', 25],
    ['forward', 7],
    ['backward', 100],
  ] as const)(
    '%s in pages of %i lists every person once, in order, with exactly its records',
    async (direction, size) => {
      const people = await walkPeople(gateway, { direction, size });
      expect(asTruth(people)).toEqual(truthOf(truth));
      expect(new Set(people.map((person) => person.id)).size).toBe(people.length);
      const times = people.map((person) => Date.parse(person.firstSeenAt));
      expect(times).toEqual([...times].sort((a, b) => b - a));
    },
  );

  it('gives each person the oldest createdAt of its records, its shared phone and how it was matched', async () => {
    const people = await walkPeople(gateway, { direction: 'forward', size: 50 });
    const byName = new Map(records.map((record) => [recordName(record), record]));
    for (const [index, person] of people.entries()) {
      const expected = truth[index]!;
      const own = expected.records.map((name) => byName.get(name)!);
      expect(Date.parse(person.firstSeenAt)).toBe(Math.min(...own.map((record) => Date.parse(record.createdAt))));
      expect(person.phoneNumber).toBe(expected.key.startsWith('phone:') ? expected.key.slice('phone:'.length) : null);
      const kind = expected.key.startsWith('phone:') ? 'PHONE' : 'EMAIL';
      expect(person.matchedBy).toEqual(expected.records.length > 1 ? [kind] : []);
    }
  });

  it('pages of 0 and past the end are empty, and a cursor of another connection is refused', async () => {
    const zero = await gateway.graphql(PEOPLE_QUERY, { first: 0 });
    expect(zero.data?.people).toMatchObject({ edges: [], pageInfo: { hasNextPage: true } });
    const last = await gateway.graphql(PEOPLE_QUERY, { last: 1 });
    const end = (last.data!.people as { edges: { cursor: string; node: PersonNode }[] }).edges;
    expect(recordsOf(end[0]!.node)).toEqual(truth.at(-1)!.records);
    const after = await gateway.graphql(PEOPLE_QUERY, { first: 5, after: end[0]!.cursor });
    expect(after.data?.people).toMatchObject({ edges: [], pageInfo: { hasNextPage: false, hasPreviousPage: true } });
    const customers = await gateway.graphql('{ customers(first: 1) { edges { cursor } } }');
    const foreign = (customers.data!.customers as { edges: { cursor: string }[] }).edges[0]!.cursor;
    const refused = await gateway.graphql(PEOPLE_QUERY, { first: 5, after: foreign });
    expect(refused.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });
});

describe('A walk of people while customers are created', () => {
  let gateway: TestGateway;
  beforeAll(async () => {
    gateway = await startTestGateway({ SANDBOX_CUSTOMERS: '120' });
  });
  afterAll(() => gateway.close());

  it.each(['forward', 'backward'] as const)(
    '%s still lists every person that existed once, in place, with its new records',
    async (direction) => {
      const before = truthPeople(await allRecords(gateway));
      const created = new Set<string>();
      const later = (page: number) => (direction === 'forward' ? before.at(-1 - page) : before[page]);
      const people = await walkPeople(gateway, {
        direction,
        size: 10,
        between: async (page) => {
          // A new record of a person not yet listed, one of a person already listed, and a new person.
          const waiting = later(page);
          const listed = direction === 'forward' ? before[page] : before.at(-1 - page);
          for (const person of [waiting, listed]) {
            if (person === undefined || !person.key.startsWith('phone:')) continue;
            const phone = person.key.slice('phone:'.length);
            if (page % 2 === 0) {
              const answer = await gateway.graphql(
                `mutation($input: CreateCustomerInput!) { createCustomer(input: $input) { customer { sourceId } userErrors { message } } }`,
                { input: { name: `Familiar ${page}`, phoneNumber: phone } },
              );
              const customer = (answer.data!.createCustomer as { customer: { sourceId: string } | null }).customer;
              created.add(`Q:${customer!.sourceId}`);
            } else {
              const customer = gateway.sandbox.nxlink.store.insert({ whatsApp_phone: phone.slice(1), sms_phone: null });
              created.add(`N:${customer.id}`);
            }
          }
          const fresh = gateway.sandbox.nxlink.store.insert({});
          created.add(`N:${fresh.id}`);
        },
      });
      // A backward walk ends at the newest people: those created meanwhile are listed too.
      const existed = people.filter((person) => recordsOf(person).some((name) => !created.has(name)));
      expect(existed.map((person) => recordsOf(person).filter((name) => !created.has(name)))).toEqual(truthOf(before));
      if (direction === 'forward') expect(existed).toHaveLength(people.length);
      expect(new Set(people.map((person) => person.id)).size).toBe(people.length);
      const joined = people.flatMap(recordsOf).filter((name) => created.has(name));
      expect(joined.length).toBeGreaterThan(0);
    },
  );
});

describe('Filtered people', () => {
  it.each(['BOTH', 'QUENTLI_ONLY', 'NXLINK_ONLY'] as const)(
    'presence %s lists exactly those people, in order',
    async (presence) => {
      const now = truthPeople(await allRecords(gateway));
      const people = await walkPeople(gateway, { direction: 'forward', size: 20, filter: { presence } });
      expect(asTruth(people)).toEqual(truthOf(now.filter((person) => person.presence === presence)));
      const backward = await walkPeople(gateway, { direction: 'backward', size: 20, filter: { presence } });
      expect(asTruth(backward)).toEqual(asTruth(people));
    },
  );

  it('phoneNumber lists the person of a shared phone with all its records', async () => {
    const shared = truth.find((person) => person.key.startsWith('phone:') && person.records.length > 2)!;
    const phone = shared.key.slice('phone:'.length);
    const people = await walkPeople(gateway, { direction: 'forward', size: 5, filter: { phoneNumber: phone } });
    expect(people.map(recordsOf)).toEqual([expect.arrayContaining(shared.records)]);
    expect(people[0]!.phoneNumber).toBe(phone);
  });

  it('createdAfter with a presence lists the people with a record created after it, at their oldest such record', async () => {
    const now = await allRecords(gateway);
    const cut = now[Math.floor(now.length / 3)]!.createdAt;
    const expected = filteredTruth(now, (record) => Date.parse(record.createdAt) > Date.parse(cut), 'BOTH');
    expect(expected.length).toBeGreaterThan(0);
    for (const direction of ['forward', 'backward'] as const) {
      const walked = await walkPeople(gateway, {
        direction,
        size: 15,
        filter: { createdAfter: cut, presence: 'BOTH' },
      });
      expect(asTruth(walked)).toEqual(expected);
    }
  });

  it('email lists the people with a record of that email, also one matched by phone', async () => {
    const now = await allRecords(gateway);
    const withPhone = truth.find((person) => person.key.startsWith('phone:') && person.presence === 'BOTH')!;
    const email = now.find((record) => recordName(record) === withPhone.records[0])!.email!;
    const expected = filteredTruth(now, (record) => record.email?.toLowerCase() === email.toLowerCase());
    const walked = await walkPeople(gateway, { direction: 'forward', size: 5, filter: { email: email.toUpperCase() } });
    expect(asTruth(walked)).toEqual(expected);
    expect(asTruth(walked)).toContainEqual(withPhone.records);
  });
});

/**
 * People of the records that match, each at its oldest matching record (the order of the
 * filtered customers walk), with a presence.
 */
function filteredTruth(
  now: TruthRecord[],
  matches: (record: TruthRecord) => boolean,
  presence?: TruthPerson['presence'],
): string[][] {
  const byKey = new Map(truthPeople(now).map((person) => [person.key, person]));
  const expected: string[][] = [];
  const seen = new Set<string>();
  for (const record of [...now].reverse()) {
    const person = byKey.get(truthKey(record))!;
    if (!matches(record) || seen.has(person.key) || (presence !== undefined && person.presence !== presence)) continue;
    seen.add(person.key);
    expected.unshift(person.records);
  }
  return expected;
}

describe('People by name, where NXLink pages are scanned by the gateway', () => {
  let gateway: TestGateway;
  beforeAll(async () => {
    gateway = await startTestGateway({ SANDBOX_CUSTOMERS: '300', GATEWAY_SCAN_PAGES: '1' });
  });
  afterAll(() => gateway.close());

  it.each(['forward', 'backward'] as const)(
    '%s: pages stop early with a cursor, and the walk lists every match once',
    async (direction) => {
      const now = await allRecords(gateway);
      const search = ['ña', 'xi', 'úl', 'ch', 'ui', 'ed'].find((piece) => {
        const count = now.filter(
          (record) => record.source === 'NXLINK' && record.name?.toLowerCase().includes(piece),
        ).length;
        return count >= 2 && count <= 12;
      })!;
      const expected = filteredTruth(
        now,
        (record) => record.name?.toLowerCase().includes(search) ?? false,
        'NXLINK_ONLY',
      );
      let pages = 0;
      const walked = await walkPeople(gateway, {
        direction,
        size: 3,
        filter: { search, presence: 'NXLINK_ONLY' },
        between: () => {
          pages += 1;
        },
      });
      expect(asTruth(walked)).toEqual(expected);
      // 300 NXLink customers, 50 a page, one page a request: more requests than pages of 3.
      expect(pages).toBeGreaterThanOrEqual(5);
      expect(pages).toBeGreaterThan(Math.ceil(expected.length / 3));
    },
  );
});

describe('People when one system fails', () => {
  let gateway: TestGateway;
  beforeAll(async () => {
    gateway = await startTestGateway({ SANDBOX_CUSTOMERS: '30' });
  });
  afterAll(() => gateway.close());

  it('answer an empty page of people that names the failed system, and the other root fields still answer', async () => {
    gateway.sandbox.nxlink.faults.set({ status: 503 });
    try {
      const response =
        await gateway.graphql(`{ people(first: 5) { edges { node { id } } pageInfo { hasNextPage } unavailableSources }
        quentliCustomers(first: 3) { edges { node { sourceId } } } }`);
      expect(response.data?.people).toEqual({
        edges: [],
        pageInfo: { hasNextPage: false },
        unavailableSources: ['NXLINK'],
      });
      expect((response.data!.quentliCustomers as { edges: unknown[] }).edges).toHaveLength(3);
      expect(response.errors?.map((error) => error.extensions?.source)).toEqual(['NXLINK']);
    } finally {
      gateway.sandbox.nxlink.faults.clear();
    }
  });

  it('give each customer its person from the system that answers, with one error for the other', async () => {
    gateway.sandbox.nxlink.faults.set({ status: 503 });
    try {
      const response = await gateway.graphql(`{ quentliCustomers(first: 10) { edges { node { sourceId
        person { quentliCustomers { sourceId } nxlinkCustomers { sourceId } } } } } }`);
      const nodes = (response.data!.quentliCustomers as { edges: { node: { sourceId: string; person: PersonNode } }[] })
        .edges;
      expect(nodes).toHaveLength(10);
      for (const { node } of nodes) {
        expect(node.person.quentliCustomers.map((c) => c.sourceId)).toContain(node.sourceId);
        expect(node.person.nxlinkCustomers).toEqual([]);
      }
      expect(response.errors).toHaveLength(1);
      expect(response.errors?.[0]?.extensions).toMatchObject({ source: 'NXLINK' });
      expect(response.errors?.[0]?.path).toBeUndefined();
    } finally {
      gateway.sandbox.nxlink.faults.clear();
    }
  });
});

describe('Records that are never joined on a guess', () => {
  let gateway: TestGateway;
  beforeAll(async () => {
    gateway = await startTestGateway({ SANDBOX_CUSTOMERS: '10' });
  });
  afterAll(() => gateway.close());

  it('keeps a Quentli phone without + apart from the NXLink customer with those digits', async () => {
    const digits = '5215598765001';
    const quentli = gateway.sandbox.quentli.store.insert({ phoneNumber: digits.slice(2) });
    const localOnly = gateway.sandbox.quentli.store.insert({ phoneNumber: digits });
    const nxlink = gateway.sandbox.nxlink.store.insert({ whatsApp_phone: digits, sms_phone: null, email: null });
    const response = await gateway.graphql(
      `query($ids: [ID!]!) { nodes(ids: $ids) { ... on Customer { person { ${PERSON_FIELDS} } } } }`,
      {
        ids: [quentli, localOnly]
          .map((c) => Buffer.from(`QuentliCustomer:${c.id}`).toString('base64'))
          .concat(Buffer.from(`NxlinkCustomer:${nxlink.id}`).toString('base64')),
      },
    );
    const [a, b, n] = (response.data!.nodes as { person: PersonNode }[]).map((node) => node.person);
    expect(recordsOf(a!)).toEqual([`Q:${quentli.id}`]);
    expect(recordsOf(b!)).toEqual([`Q:${localOnly.id}`]);
    expect(a!.phoneNumber).toBeNull();
    expect(recordsOf(n!)).toEqual([`N:${nxlink.id}`]);
    expect(n!.phoneNumber).toBe(`+${digits}`);
  });
});

describe('Person look-ups', () => {
  const LOOKUP = `query($phoneNumber: PhoneNumber, $email: EmailAddress) { person(phoneNumber: $phoneNumber, email: $email) { ${PERSON_FIELDS} } }`;

  it('person(phoneNumber) is the person of a shared phone, with every record', async () => {
    const shared = truth.find((person) => person.key.startsWith('phone:') && person.records.length > 1)!;
    const response = await gateway.graphql(LOOKUP, { phoneNumber: shared.key.slice('phone:'.length) });
    expect(recordsOf(response.data!.person as PersonNode)).toEqual(expect.arrayContaining(shared.records));
    expect((response.data!.person as PersonNode).matchedBy).toEqual(['PHONE']);
  });

  it('person(email) is the person matched by that email, whatever its case', async () => {
    const byEmail = truth.find((person) => person.key.startsWith('email:') && person.presence === 'BOTH')!;
    const email = byEmail.key.slice('email:'.length).toUpperCase();
    const response = await gateway.graphql(LOOKUP, { email });
    expect(recordsOf(response.data!.person as PersonNode)).toEqual(byEmail.records);
    expect((response.data!.person as PersonNode).matchedBy).toEqual(['EMAIL']);
    expect((response.data!.person as PersonNode).phoneNumber).toBeNull();
  });

  it('is null for a phone or email no record has', async () => {
    expect((await gateway.graphql(LOOKUP, { phoneNumber: '+5215500000001' })).data?.person).toBeNull();
    expect((await gateway.graphql(LOOKUP, { email: 'nobody@nowhere.example' })).data?.person).toBeNull();
  });

  it('refuses neither or both arguments, and a phone that is not E.164, with BAD_USER_INPUT', async () => {
    for (const variables of [{}, { phoneNumber: '+5215500000001', email: 'a@b.mx' }, { phoneNumber: '5512345678' }]) {
      const response = await gateway.graphql(LOOKUP, variables);
      expect(response.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
      expect(response.data?.person ?? null).toBeNull();
    }
  });
});

describe('A Person as a Node', () => {
  it('is found again by node(id) and nodes(ids), with the same records', async () => {
    const people = (await gateway.graphql(PEOPLE_QUERY, { first: 30 })).data!.people as {
      edges: { node: PersonNode }[];
    };
    const some = people.edges.map((edge) => edge.node).filter((_, index) => index % 3 === 0);
    for (const person of some.slice(0, 3)) {
      const found = await gateway.graphql(
        `query($id: ID!) { node(id: $id) { __typename ... on Person { ${PERSON_FIELDS} } } }`,
        { id: person.id },
      );
      expect(found.data?.node).toEqual({ __typename: 'Person', ...person });
    }
    const many = await gateway.graphql(
      `query($ids: [ID!]!) { nodes(ids: $ids) { ... on Person { ${PERSON_FIELDS} } } }`,
      {
        ids: some.map((person) => person.id),
      },
    );
    expect(many.data?.nodes).toEqual(some);
  });

  it('is null for a well-formed id of a record that does not exist, and refused when malformed', async () => {
    const gone = Buffer.from('Person:quentli.czzzzzzzzzzzzzzzzzzzzzzzz').toString('base64');
    expect((await gateway.graphql(`query($id: ID!) { node(id: $id) { id } }`, { id: gone })).data?.node).toBeNull();
    const bad = Buffer.from('Person:somewhere.1').toString('base64');
    const refused = await gateway.graphql(`query($id: ID!) { node(id: $id) { id } }`, { id: bad });
    expect(refused.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });
});

describe('person on each Customer type, and the links', () => {
  it('is the person of the record by the rule; a link is null where the other system has several records', async () => {
    const response = await gateway.graphql(`{ customers(first: 100) { edges { node { source sourceId
      person { id quentliCustomers { sourceId } nxlinkCustomers { sourceId } }
      ... on QuentliCustomer { nxlinkProfile { sourceId } }
      ... on NxlinkCustomer { quentliCustomer { sourceId } } } } } }`);
    // biome-ignore lint/suspicious/noExplicitAny: nodes of both types, read loosely
    const nodes = (response.data!.customers as { edges: { node: Record<string, any> }[] }).edges.map(
      (edge) => edge.node,
    );
    expect(nodes.some((node) => node.source === 'QUENTLI')).toBe(true);
    expect(nodes.some((node) => node.source === 'NXLINK')).toBe(true);
    for (const node of nodes) {
      const expected = personWith(recordName(node as TruthRecord))!;
      expect(recordsOf(node.person)).toEqual(expected.records);
      const others = node.source === 'QUENTLI' ? node.person.nxlinkCustomers : node.person.quentliCustomers;
      const link = node.source === 'QUENTLI' ? node.nxlinkProfile : node.quentliCustomer;
      expect(link).toEqual(others.length === 1 ? others[0] : null);
    }
  });

  it('gives one person one id from every record', async () => {
    const shared = truth.find((person) => person.records.length > 2)!;
    const ids = shared.records.map((name) =>
      Buffer.from(`${name.startsWith('Q:') ? 'QuentliCustomer' : 'NxlinkCustomer'}:${name.slice(2)}`).toString(
        'base64',
      ),
    );
    const response = await gateway.graphql(
      `query($ids: [ID!]!) { nodes(ids: $ids) { ... on Customer { person { id } } } }`,
      { ids },
    );
    const personIds = (response.data!.nodes as { person: { id: string } }[]).map((node) => node.person.id);
    expect(new Set(personIds).size).toBe(1);
  });
});

describe('The cost of a page of people', () => {
  it('is a few batched calls: Quentli lists in batches of phones, NXLink queries per phone, all per round', async () => {
    gateway.resetRequests();
    const response = await gateway.graphql(PEOPLE_QUERY, { first: 50 });
    expect((response.data!.people as { edges: unknown[] }).edges).toHaveLength(50);
    const quentliCalls = gateway.sandbox.quentli.requests.length;
    const nxlinkCalls = gateway.sandbox.nxlink.requests.length;
    // A round reads at most 1.25 records per missing person (63 for 50) and looks their people
    // up in one batch: Quentli one list per 20 phones or emails, NXLink two queries per phone.
    // In the seed most records are of one person each, so one round or two fill the page.
    expect(quentliCalls).toBeLessThanOrEqual(12);
    expect(nxlinkCalls).toBeLessThanOrEqual(3 + 2 * 63 * 1.2);
    expect(quentliCalls).toBeLessThan(50 / 4);
  });
});
