import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../support/gateway.ts';
import { walk } from '../support/paging.ts';
import { quentliParams } from '../support/requests.ts';

const CUSTOMERS = /* GraphQL */ `
  query Customers($first: Int, $after: String, $last: Int, $before: String,
                  $filter: CustomerFilter, $sources: [CustomerSource!]) {
    customers(first: $first, after: $after, last: $last, before: $before, filter: $filter, sources: $sources) {
      edges { cursor node { id source sourceId name email phoneNumber createdAt } }
      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    }
  }
`;

const LINKED = /* GraphQL */ `
  query Linked($first: Int) {
    customers(first: $first) {
      edges {
        node {
          source
          sourceId
          phoneNumber
          ... on QuentliCustomer { nxlinkProfile { sourceId whatsappPhone } }
          ... on NxlinkCustomer { quentliCustomer { sourceId phoneNumber } }
        }
      }
    }
  }
`;

interface Node {
  id: string;
  source: 'QUENTLI' | 'NXLINK';
  sourceId: string;
  name: string | null;
  email: string | null;
  phoneNumber: string | null;
  createdAt: string;
}

let gateway: TestGateway;

beforeAll(async () => {
  gateway = await startTestGateway();
});
afterAll(() => gateway.close());
beforeEach(() => gateway.resetRequests());
afterEach(() => {
  gateway.sandbox.quentli.faults.clear();
  gateway.sandbox.nxlink.faults.clear();
});

const key = (node: { source: string; sourceId: string }) => `${node.source}:${node.sourceId}`;

function everyCustomer(): string[] {
  return [
    ...gateway.sandbox.quentli.store.all().map((customer) => `QUENTLI:${customer.id}`),
    ...gateway.sandbox.nxlink.store.all().map((customer) => `NXLINK:${customer.id.toString()}`),
  ].sort();
}

/** The contract's order: createdAt descending, then Quentli before NXLink, then sourceId descending. */
function expectMergedOrder(nodes: Node[]): void {
  for (let i = 1; i < nodes.length; i++) {
    const [a, b] = [nodes[i - 1]!, nodes[i]!];
    const time = Date.parse(b.createdAt) - Date.parse(a.createdAt);
    if (time !== 0) {
      expect(time, `${key(a)} before ${key(b)}`).toBeLessThan(0);
    } else if (a.source !== b.source) {
      expect(a.source).toBe('QUENTLI');
    } else if (a.source === 'NXLINK') {
      expect(BigInt(a.sourceId) > BigInt(b.sourceId)).toBe(true);
    } else {
      expect(a.sourceId > b.sourceId).toBe(true);
    }
  }
}

describe('customers: one list of both sources', () => {
  it('walked forward in pages of 20 is exactly both sandboxes, each customer once, newest first', async () => {
    const nodes = (await walk(gateway, 'customers', CUSTOMERS, {
      direction: 'forward',
      size: 20,
    })) as unknown as Node[];
    expect(nodes.map(key).sort()).toEqual(everyCustomer());
    expectMergedOrder(nodes);
  });

  it('walked backward is the same list', async () => {
    const forward = await walk(gateway, 'customers', CUSTOMERS, { direction: 'forward', size: 100 });
    const backward = await walk(gateway, 'customers', CUSTOMERS, { direction: 'backward', size: 20 });
    expect(backward.map((node) => node.id)).toEqual(forward.map((node) => node.id));
  });

  it('walked while other clients create customers, still shows each customer that was there once', async () => {
    const before = everyCustomer();
    const nodes = await walk(gateway, 'customers', CUSTOMERS, {
      direction: 'forward',
      size: 25,
      between: () => {
        gateway.sandbox.quentli.store.insert({ name: 'Nueva Clienta' });
        gateway.sandbox.nxlink.store.insert({ full_name: 'Nuevo Cliente' });
      },
    });
    expect(nodes.map((node) => key(node as unknown as Node)).sort()).toEqual(before);
  });

  it('can be restricted to one source', async () => {
    const { data } = await gateway.graphql(CUSTOMERS, { first: 30, sources: ['NXLINK'] });
    expect(new Set(data.customers.edges.map((edge: { node: Node }) => edge.node.source))).toEqual(new Set(['NXLINK']));
    expect(gateway.sandbox.quentli.requests).toHaveLength(0);
  });

  it('reads at most N + 2 records of Quentli and N of NXLink for a page of N, one call each', async () => {
    await gateway.graphql(CUSTOMERS, { first: 30 });
    expect(gateway.sandbox.quentli.requests).toHaveLength(1);
    expect(gateway.sandbox.nxlink.requests).toHaveLength(1);
    // One more than the page tells whether more follow; one more again whether the last
    // timestamp's ties continue past it (Quentli is sent one sort key, the documented form).
    expect(quentliParams(gateway.sandbox.quentli.requests[0]).limit).toBe('32');
    expect(gateway.sandbox.nxlink.requests[0]!.body).toMatch(/"limit":30[,}]/);
  });
});

describe('customers with both cross-links', () => {
  it('costs one list call per source, one Quentli link call per 20 phones or emails and two NXLink calls per distinct phone', async () => {
    const { data, errors } = await gateway.graphql(LINKED, { first: 50 });
    expect(errors).toBeUndefined();
    const nodes = data.customers.edges.map((edge: { node: Node }) => edge.node) as Node[];
    // Each link looks up the other system by the matching rule's key: the phone, else the email.
    const keys = (source: string, kind: 'phone' | 'email') =>
      new Set(
        nodes
          .filter(
            (node) =>
              node.source === source &&
              (kind === 'phone' ? node.phoneNumber !== null : node.phoneNumber === null && node.email !== null),
          )
          .map((node) => (kind === 'phone' ? node.phoneNumber : node.email?.toLowerCase())),
      ).size;
    const quentliCalls = gateway.sandbox.quentli.requests.length;
    const nxlinkCalls = gateway.sandbox.nxlink.requests.length;
    expect(quentliCalls).toBeLessThanOrEqual(
      1 + Math.ceil(keys('NXLINK', 'phone') / 20) + Math.ceil(keys('NXLINK', 'email') / 20),
    );
    expect(nxlinkCalls).toBeLessThanOrEqual(1 + 2 * keys('QUENTLI', 'phone') + keys('QUENTLI', 'email'));
  });

  it('links the two records of the same person both ways', async () => {
    type LinkedNode = {
      source: string;
      phoneNumber: string;
      nxlinkProfile: { sourceId: string; whatsappPhone: string } | null;
    };
    const { data } = await gateway.graphql(LINKED, { first: 100 });
    const linked = data.customers.edges
      .map((edge: { node: LinkedNode }) => edge.node)
      .filter((node: LinkedNode) => node.source === 'QUENTLI' && node.nxlinkProfile !== null);
    expect(linked.length).toBeGreaterThan(0);
    for (const node of linked) expect(`+${node.nxlinkProfile.whatsappPhone}`).toBe(node.phoneNumber);

    const twin = linked[0].nxlinkProfile.sourceId;
    const back = await gateway.graphql(
      `query ($phone: PhoneNumber!) { customers(first: 5, filter: { phoneNumber: $phone }, sources: [NXLINK]) {
         edges { node { sourceId ... on NxlinkCustomer { quentliCustomer { sourceId } } } } } }`,
      { phone: linked[0].phoneNumber },
    );
    const nxlinkNode = back.data.customers.edges.find(
      (edge: { node: { sourceId: string } }) => edge.node.sourceId === twin,
    );
    expect(nxlinkNode.node.quentliCustomer.sourceId).toBe(linked[0].sourceId);
  });

  it('fetches no record twice within one request', async () => {
    await gateway.graphql(
      `{ a: customers(first: 10) { edges { node { id } } } b: customers(first: 10) { edges { node { id } } } }`,
    );
    expect(gateway.sandbox.quentli.requests).toHaveLength(1);
    expect(gateway.sandbox.nxlink.requests).toHaveLength(1);
  });
});

describe('CustomerFilter', () => {
  it('finds the records of one person in both sources by phone number', async () => {
    const twin = gateway.sandbox.quentli.store
      .all()
      .find(
        (customer) =>
          customer.phoneNumber !== null &&
          gateway.sandbox.nxlink.store.all().some((other) => `+${other.whatsApp_phone}` === customer.phoneNumber),
      )!;
    const { data } = await gateway.graphql(CUSTOMERS, { first: 10, filter: { phoneNumber: twin.phoneNumber } });
    const nodes = data.customers.edges.map((edge: { node: Node }) => edge.node) as Node[];
    expect(new Set(nodes.map((node) => node.source))).toEqual(new Set(['QUENTLI', 'NXLINK']));
    for (const node of nodes) expect(node.phoneNumber).toBe(twin.phoneNumber);
    expect(quentliParams(gateway.sandbox.quentli.requests[0]).filter).toEqual({ phoneNumber: twin.phoneNumber });
    expect(
      gateway.sandbox.nxlink.requests.some((r) => r.body.includes(`"whatsApp_phone":"${twin.phoneNumber!.slice(1)}"`)),
    ).toBe(true);
  });

  it('searches names in both sources, and pages through the matches exactly', async () => {
    const filter = { search: 'ma' };
    const all = (await walk(gateway, 'customers', CUSTOMERS, {
      direction: 'forward',
      size: 100,
      variables: { filter },
    })) as unknown as Node[];
    const paged = await walk(gateway, 'customers', CUSTOMERS, { direction: 'forward', size: 7, variables: { filter } });
    expect(paged.map((node) => node.id)).toEqual(all.map((node) => node.id));
    expect(new Set(all.map((node) => node.source))).toEqual(new Set(['QUENTLI', 'NXLINK']));
    for (const node of all) expect(node.name?.toLowerCase()).toContain('ma');
    const expected = [
      ...gateway.sandbox.quentli.store
        .all()
        .filter((c) => c.name?.toLowerCase().includes('ma'))
        .map((c) => `QUENTLI:${c.id}`),
      ...gateway.sandbox.nxlink.store
        .all()
        .filter((c) => c.full_name?.toLowerCase().includes('ma'))
        .map((c) => `NXLINK:${c.id}`),
    ].sort();
    expect(all.map(key).sort()).toEqual(expected);
  });

  it('bounds the creation time in both sources, pushing the window down', async () => {
    const { data: everything } = await gateway.graphql(CUSTOMERS, { first: 100 });
    const nodes = everything.customers.edges.map((edge: { node: Node }) => edge.node) as Node[];
    const createdAfter = nodes[60]!.createdAt;
    const createdBefore = nodes[10]!.createdAt;
    gateway.resetRequests();
    const { data } = await gateway.graphql(CUSTOMERS, { first: 100, filter: { createdAfter, createdBefore } });
    const inside = nodes.filter(
      (node) =>
        Date.parse(node.createdAt) > Date.parse(createdAfter) && Date.parse(node.createdAt) < Date.parse(createdBefore),
    );
    expect(data.customers.edges.map((edge: { node: Node }) => edge.node.id)).toEqual(inside.map((node) => node.id));
    expect(gateway.sandbox.nxlink.requests[0]!.body).toMatch(/"start_time":"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d"/);
    expect(quentliParams(gateway.sandbox.quentli.requests[0]).filter).toEqual({
      createdAt: { gt: createdAfter, lt: createdBefore },
    });
  });

  it('refuses a malformed email before any upstream call', async () => {
    const response = await gateway.graphql(CUSTOMERS, { first: 5, filter: { email: 'not-an-email' } });
    expect(response.errors?.[0]?.message).toMatch(/email/i);
    expect(gateway.sandbox.quentli.requests.length + gateway.sandbox.nxlink.requests.length).toBe(0);
  });
});

describe('customers when one source fails', () => {
  it("returns the other source's customers and an error naming the failed source", async () => {
    gateway.sandbox.nxlink.faults.set({ status: 503 });
    const response = await gateway.graphql(CUSTOMERS, { first: 10 });
    const nodes = response.data.customers.edges.map((edge: { node: Node }) => edge.node) as Node[];
    expect(nodes).toHaveLength(10);
    expect(new Set(nodes.map((node) => node.source))).toEqual(new Set(['QUENTLI']));
    expect(response.errors).toHaveLength(1);
    expect(response.errors?.[0]?.extensions).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', source: 'NXLINK' });
    expect(response.errors?.[0]?.path).toBeUndefined();
  });

  it('loses none of its customers when paging on after it recovers', async () => {
    gateway.sandbox.quentli.faults.set({ status: 500 });
    const first = await gateway.graphql(CUSTOMERS, { first: 40 });
    expect(first.errors?.[0]?.extensions).toMatchObject({ source: 'QUENTLI' });
    gateway.sandbox.quentli.faults.clear();
    const seen = first.data.customers.edges.map((edge: { node: Node }) => key(edge.node));
    const rest = await walk(gateway, 'customers', CUSTOMERS, {
      direction: 'forward',
      size: 100,
      from: first.data.customers.pageInfo.endCursor,
    });
    seen.push(...rest.map((node) => key(node as unknown as Node)));
    expect([...seen].sort()).toEqual(everyCustomer());
  });
});
