import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../support/gateway.ts';
import { walk, type Connection } from '../support/paging.ts';
import { quentliParams } from '../support/requests.ts';

const QUENTLI = /* GraphQL */ `
  query Quentli($first: Int, $after: String, $last: Int, $before: String,
                $filter: QuentliCustomerFilter, $orderBy: [QuentliCustomerOrderBy!]) {
    quentliCustomers(first: $first, after: $after, last: $last, before: $before, filter: $filter, orderBy: $orderBy) {
      edges { cursor node { id sourceId name createdAt } }
      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    }
  }
`;

const NXLINK = /* GraphQL */ `
  query Nxlink($first: Int, $after: String, $last: Int, $before: String, $filter: NxlinkCustomerFilter) {
    nxlinkCustomers(first: $first, after: $after, last: $last, before: $before, filter: $filter) {
      edges { cursor node { id sourceId fullName createdAt tenantId tags { tagId } } }
      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    }
  }
`;

let gateway: TestGateway;
let quentliIds: string[];
let nxlinkIds: string[];

beforeAll(async () => {
  gateway = await startTestGateway();
  quentliIds = gateway.sandbox.quentli.store.all().map((customer) => customer.id);
  nxlinkIds = gateway.sandbox.nxlink.store.all().map((customer) => customer.id.toString());
});
afterAll(() => gateway.close());
beforeEach(() => gateway.resetRequests());

const sourceIds = (nodes: { sourceId: string }[]) => nodes.map((node) => node.sourceId);

describe('quentliCustomers', () => {
  it("starts with the newest customers, in Quentli's order", async () => {
    const { data } = await gateway.graphql(QUENTLI, { first: 5 });
    expect(sourceIds(data.quentliCustomers.edges.map((edge: { node: { sourceId: string } }) => edge.node))).toEqual(
      quentliIds.slice(0, 5),
    );
    expect(data.quentliCustomers.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false });
  });

  it.each([50, 100, 7])('pages forward from start to end in pages of %i, every customer once', async (size) => {
    const nodes = await walk(gateway, 'quentliCustomers', QUENTLI, { direction: 'forward', size });
    expect(sourceIds(nodes)).toEqual(quentliIds);
  });

  it('pages backward from the end to the start, every customer once', async () => {
    const nodes = await walk(gateway, 'quentliCustomers', QUENTLI, { direction: 'backward', size: 30 });
    expect(sourceIds(nodes)).toEqual(quentliIds);
  });

  it('returns the oldest customers for `last` alone, saying more precede them', async () => {
    const { data } = await gateway.graphql(QUENTLI, { last: 3 });
    const page = data.quentliCustomers as Connection;
    expect(sourceIds(page.edges.map((edge) => edge.node))).toEqual(quentliIds.slice(-3));
    expect(page.pageInfo).toMatchObject({ hasPreviousPage: true, hasNextPage: false });
  });

  it('pages by name through offset cursors, forward and backward, every customer once', async () => {
    const variables = { orderBy: [{ name: 'ASC' }] };
    const forward = await walk(gateway, 'quentliCustomers', QUENTLI, { direction: 'forward', size: 40, variables });
    const backward = await walk(gateway, 'quentliCustomers', QUENTLI, { direction: 'backward', size: 40, variables });
    // Quentli is sent one sort key (the documented form): customers with the same name follow
    // Quentli's own order, which need not mirror itself when read backwards.
    const names = (nodes: typeof forward) => nodes.map((node) => node.name);
    expect(names(forward)).toEqual(names(backward));
    expect([...sourceIds(forward)].sort()).toEqual([...quentliIds].sort());
  });

  it('answers an empty page with no cursors and no neighbours', async () => {
    const { data } = await gateway.graphql(QUENTLI, {
      first: 10,
      filter: { id: { equals: 'cnosuchcustomer000000000' } },
    });
    expect(data.quentliCustomers).toEqual({
      edges: [],
      pageInfo: { hasNextPage: false, hasPreviousPage: false, startCursor: null, endCursor: null },
    });
  });

  it('knows a page that holds exactly the rest of the list is the last one', async () => {
    const filter = { id: { in: quentliIds.slice(0, 3) } };
    const whole = await gateway.graphql(QUENTLI, { first: 3, filter });
    expect(whole.data.quentliCustomers.edges).toHaveLength(3);
    expect(whole.data.quentliCustomers.pageInfo.hasNextPage).toBe(false);

    const first = await gateway.graphql(QUENTLI, { first: 2, filter });
    expect(first.data.quentliCustomers.pageInfo.hasNextPage).toBe(true);
    const last = await gateway.graphql(QUENTLI, {
      first: 2,
      filter,
      after: first.data.quentliCustomers.pageInfo.endCursor,
    });
    expect(
      sourceIds(last.data.quentliCustomers.edges.map((edge: { node: { sourceId: string } }) => edge.node)),
    ).toEqual([quentliIds[2]]);
    expect(last.data.quentliCustomers.pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: true });
  });

  it('sends the filter to Quentli, which applies it', async () => {
    const { data } = await gateway.graphql(QUENTLI, {
      first: 100,
      filter: { name: { contains: 'MARÍA', mode: 'INSENSITIVE' } },
    });
    const names: string[] = data.quentliCustomers.edges.map((edge: { node: { name: string } }) => edge.node.name);
    expect(names.length).toBeGreaterThan(0);
    for (const name of names) expect(name.toLowerCase()).toContain('maría');
    expect(quentliParams(gateway.sandbox.quentli.requests[0]).filter).toEqual({
      name: { contains: 'MARÍA', mode: 'insensitive' },
    });
  });
});

describe('nxlinkCustomers', () => {
  it('pages forward through every customer, ids digit for digit', async () => {
    const nodes = await walk(gateway, 'nxlinkCustomers', NXLINK, { direction: 'forward', size: 50 });
    expect(sourceIds(nodes)).toEqual(nxlinkIds);
    expect(nxlinkIds.some((id) => BigInt(id) > BigInt(Number.MAX_SAFE_INTEGER))).toBe(true);
  });

  it('pages backward through every customer', async () => {
    const nodes = await walk(gateway, 'nxlinkCustomers', NXLINK, { direction: 'backward', size: 33 });
    expect(sourceIds(nodes)).toEqual(nxlinkIds);
  });

  it('sends a 64-bit cursor back to NXLink exactly, as a bare JSON number', async () => {
    const first = await gateway.graphql(NXLINK, { first: 2 });
    const lastOfPage = first.data.nxlinkCustomers.edges[1].node.sourceId as string;
    gateway.resetRequests();
    await gateway.graphql(NXLINK, { first: 2, after: first.data.nxlinkCustomers.pageInfo.endCursor });
    const body = gateway.sandbox.nxlink.requests[0]?.body ?? '';
    expect(body).toContain(`"after":${lastOfPage}`);
    expect(body).toMatch(/"tenant_id":9007199254740993[,}]/);
  });

  it('returns the oldest customers for `last` alone', async () => {
    const { data } = await gateway.graphql(NXLINK, { last: 4 });
    expect(sourceIds(data.nxlinkCustomers.edges.map((edge: { node: { sourceId: string } }) => edge.node))).toEqual(
      nxlinkIds.slice(-4),
    );
    expect(data.nxlinkCustomers.pageInfo).toMatchObject({ hasPreviousPage: true, hasNextPage: false });
  });

  it('knows the last page from NXLink paging, without reading past it', async () => {
    const { data } = await gateway.graphql(NXLINK, { last: 1 });
    const beforeLast = await gateway.graphql(NXLINK, { first: 1, after: data.nxlinkCustomers.pageInfo.startCursor });
    expect(beforeLast.data.nxlinkCustomers).toEqual({
      edges: [],
      pageInfo: { hasNextPage: false, hasPreviousPage: true, startCursor: null, endCursor: null },
    });
  });

  it('sends its filters as body fields, in NXLink form', async () => {
    const customer = gateway.sandbox.nxlink.store.all().find((c) => c.whatsApp_phone !== null)!;
    const { data } = await gateway.graphql(NXLINK, {
      first: 5,
      filter: { whatsappPhone: `+${customer.whatsApp_phone}` },
    });
    expect(sourceIds(data.nxlinkCustomers.edges.map((edge: { node: { sourceId: string } }) => edge.node))).toContain(
      customer.id.toString(),
    );
    expect(gateway.sandbox.nxlink.requests[0]?.body).toContain(`"whatsApp_phone":"${customer.whatsApp_phone}"`);
  });
});

describe('paging arguments', () => {
  it.each([
    ['quentliCustomers', { first: 101 }, /`first` must be a whole number from 0 to 100; got 101/],
    ['nxlinkCustomers', { last: 101 }, /`last` must be a whole number from 0 to 100; got 101/],
    ['quentliCustomers', { first: 1, after: 'bm90IGEgY3Vyc29y' }, /`after` is not a cursor of this connection/],
    ['nxlinkCustomers', { last: 1, before: 'garbage' }, /`before` is not a cursor of this connection/],
    ['quentliCustomers', { first: 1, last: 1 }, /not both/],
  ])('are refused by %s with a clear error and no upstream call: %j', async (field, variables, message) => {
    const response = await gateway.graphql(field === 'quentliCustomers' ? QUENTLI : NXLINK, variables);
    expect(response.errors?.[0]?.message).toMatch(message);
    expect(response.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(gateway.sandbox.quentli.requests.length + gateway.sandbox.nxlink.requests.length).toBe(0);
  });

  it("refuse another connection's cursor", async () => {
    const { data } = await gateway.graphql(QUENTLI, { first: 1 });
    const response = await gateway.graphql(NXLINK, { first: 1, after: data.quentliCustomers.pageInfo.endCursor });
    expect(response.errors?.[0]?.message).toMatch(/`after` is not a cursor of this connection/);
  });

  it('treat explicit nulls as not given, as Relay sends them', async () => {
    const { data, errors } = await gateway.graphql(QUENTLI, { first: null, after: null, last: 2, before: null });
    expect(errors).toBeUndefined();
    expect(data.quentliCustomers.edges).toHaveLength(2);
  });
});

describe('node and nodes', () => {
  const NODES = /* GraphQL */ `
    query ($ids: [ID!]!) { nodes(ids: $ids) { id ... on Customer { sourceId name createdAt } } }
  `;

  it('fetches 20 Quentli customers with one Quentli call, duplicates once', async () => {
    const { data } = await gateway.graphql(QUENTLI, { first: 20 });
    const ids: string[] = data.quentliCustomers.edges.map((edge: { node: { id: string } }) => edge.node.id);
    gateway.resetRequests();
    const response = await gateway.graphql(NODES, { ids: [...ids, ids[0], ids[1]] });
    expect(response.errors).toBeUndefined();
    expect(response.data.nodes.map((node: { id: string }) => node.id)).toEqual([...ids, ids[0], ids[1]]);
    expect(gateway.sandbox.quentli.requests).toHaveLength(1);
  });

  it('finds NXLink customers by id and answers null for ids that do not exist', async () => {
    const { data } = await gateway.graphql(NXLINK, { first: 3 });
    const [a, b] = data.nxlinkCustomers.edges.map((edge: { node: { id: string } }) => edge.node.id);
    const missing = Buffer.from('NxlinkCustomer:1').toString('base64');
    const response = await gateway.graphql(NODES, { ids: [b, a, missing] });
    expect(response.errors).toBeUndefined();
    expect(response.data.nodes.map((node: { id: string } | null) => node?.id ?? null)).toEqual([b, a, null]);
  });

  it('shows a customer with the same field values however it is reached', async () => {
    const viaConnection = await gateway.graphql(NXLINK, { first: 1 });
    const node = viaConnection.data.nxlinkCustomers.edges[0].node;
    const viaNode = await gateway.graphql(
      `query ($id: ID!) { node(id: $id) { ... on NxlinkCustomer { id sourceId fullName createdAt tenantId tags { tagId } } } }`,
      { id: node.id },
    );
    expect(viaNode.data.node).toEqual(node);
  });
});
