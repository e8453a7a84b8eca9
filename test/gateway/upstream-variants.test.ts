import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isUnreadableRecord, type Sandbox } from '../../src/sandbox/index.ts';
import type { GraphQLResponse, TestGateway } from '../support/gateway.ts';
import { DOCUMENTED, startVariant, TIES, VARIANTS } from '../support/variants.ts';

/**
 * The whole gateway against sandboxes that read the documentation the other plausible way
 * (src/sandbox/quirks.ts): every connection walked both ways, look-ups, links and both
 * mutations give what they give against the sandbox that behaves as we assume.
 */

const COMMON_FIELDS = 'id source sourceId name email phoneNumber rawPhoneNumber createdAt';
const QUENTLI_FIELDS = 'emailVerified nxlinkProfile { sourceId }';
const NXLINK_FIELDS = 'status customFieldsText quentliCustomer { sourceId }';
const NODE_FIELDS = `${COMMON_FIELDS} ... on QuentliCustomer { ${QUENTLI_FIELDS} } ... on NxlinkCustomer { ${NXLINK_FIELDS} }`;
const FIELDS_OF: Record<string, string> = {
  quentliCustomers: `${COMMON_FIELDS} ${QUENTLI_FIELDS}`,
  nxlinkCustomers: `${COMMON_FIELDS} ${NXLINK_FIELDS}`,
  customers: NODE_FIELDS,
};

const connectionQuery = (field: string, args = '') => /* GraphQL */ `
  query Walk($first: Int, $after: String, $last: Int, $before: String${args ? `, ${args}` : ''}) {
    ${field}(first: $first, after: $after, last: $last, before: $before${args ? `, ${args.replace(/\$(\w+): [^,]+/g, '$1: $$$1')}` : ''}) {
      edges { cursor node { ${FIELDS_OF[field]} } }
      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    }
  }
`;

type Node = Record<string, unknown> & { id: string; source: string; sourceId: string; createdAt: string };
type Errors = NonNullable<GraphQLResponse['errors']>;

interface Survey {
  /** Each walk as `source:sourceId name email phone createdAt-instant link` lines. */
  walks: Record<string, string[]>;
  lookups: (string | null)[];
  writes: unknown;
  errors: Errors;
  quentliTieOrder: string[];
}

/** Reads a connection to its end, collecting field errors instead of refusing them. */
async function walk(
  gateway: TestGateway,
  field: string,
  query: string,
  direction: 'forward' | 'backward',
  size: number,
  errors: Errors,
  variables: Record<string, unknown> = {},
): Promise<Node[]> {
  const nodes: Node[] = [];
  let cursor: string | null = null;
  for (let page = 0; page < 200; page++) {
    const forward = direction === 'forward';
    const response = await gateway.graphql(query, {
      ...variables,
      ...(forward ? { first: size, after: cursor } : { last: size, before: cursor }),
    });
    errors.push(...(response.errors ?? []));
    if (response.data?.[field] == null) throw new Error(`${field}: ${JSON.stringify(response).slice(0, 800)}`);
    const connection = response.data[field] as {
      edges: { node: Node }[];
      pageInfo: {
        hasNextPage: boolean;
        hasPreviousPage: boolean;
        startCursor: string | null;
        endCursor: string | null;
      };
    };
    const pageNodes = connection.edges.map((edge) => edge.node);
    if (forward) nodes.push(...pageNodes);
    else nodes.unshift(...pageNodes);
    if (!(forward ? connection.pageInfo.hasNextPage : connection.pageInfo.hasPreviousPage)) return nodes;
    cursor = forward ? connection.pageInfo.endCursor : connection.pageInfo.startCursor;
  }
  throw new Error(`walking ${field} did not end`);
}

function line(node: Node | null): string | null {
  if (node === null) return null;
  const link = (node.nxlinkProfile ?? node.quentliCustomer) as { sourceId: string } | null;
  return [
    `${node.source}:${node.sourceId}`,
    node.name,
    node.email,
    node.phoneNumber,
    node.rawPhoneNumber,
    new Date(node.createdAt).toISOString(),
    `link=${link?.sourceId ?? '-'}`,
  ].join(' ');
}

async function survey(gateway: TestGateway): Promise<Survey> {
  const errors: Errors = [];
  const walks: Record<string, string[]> = {};
  const quentli = connectionQuery('quentliCustomers');
  const nxlink = connectionQuery('nxlinkCustomers');
  const customers = connectionQuery('customers');
  const quentliByTime = connectionQuery('quentliCustomers', '$orderBy: [QuentliCustomerOrderBy!]');
  const searched = connectionQuery('customers', '$filter: CustomerFilter');
  const nodes: Record<string, Node[]> = {
    'quentliCustomers forward': await walk(gateway, 'quentliCustomers', quentli, 'forward', 40, errors),
    'quentliCustomers backward': await walk(gateway, 'quentliCustomers', quentli, 'backward', 40, errors),
    'quentliCustomers oldest first': await walk(gateway, 'quentliCustomers', quentliByTime, 'forward', 30, errors, {
      orderBy: [{ createdAt: 'ASC' }],
    }),
    'nxlinkCustomers forward': await walk(gateway, 'nxlinkCustomers', nxlink, 'forward', 30, errors),
    'nxlinkCustomers backward': await walk(gateway, 'nxlinkCustomers', nxlink, 'backward', 30, errors),
    'customers forward': await walk(gateway, 'customers', customers, 'forward', 50, errors),
    'customers backward': await walk(gateway, 'customers', customers, 'backward', 50, errors),
    'customers searched': await walk(gateway, 'customers', searched, 'forward', 20, errors, {
      filter: { search: 'ar' },
    }),
  };
  for (const [name, list] of Object.entries(nodes)) walks[name] = list.map((node) => line(node)!);

  // Look-ups: more ids than one list in a filter may hold.
  const all = nodes['customers forward']!;
  const ids = [
    ...all.filter((node) => node.source === 'QUENTLI').slice(0, 45),
    ...all.filter((node) => node.source === 'NXLINK').slice(0, 45),
  ].map((node) => node.id);
  const looked = await gateway.graphql(
    `query ($ids: [ID!]!) { nodes(ids: $ids) { ... on Customer { ${NODE_FIELDS} } } }`,
    { ids },
  );
  errors.push(...(looked.errors ?? []));
  const lookups = (looked.data!.nodes as (Node | null)[]).map(line);

  const created = await gateway.graphql(
    `mutation { createCustomer(input: { name: "Variant Writer", username: "variant_writer", email: "writer@example.com", phoneNumber: "+525500001111" }) {
       customer { id sourceId name username email phoneNumber createdAt } userErrors { code } } }`,
  );
  errors.push(...(created.errors ?? []));
  const createdCustomer = (created.data!.createCustomer as { customer: Node }).customer;
  const updated = await gateway.graphql(
    `mutation ($id: ID!) { updateCustomer(input: { id: $id, data: { name: "Variant Writer Renamed" } }) {
       customer { name username email phoneNumber } userErrors { code } } }`,
    { id: createdCustomer.id },
  );
  errors.push(...(updated.errors ?? []));
  const { id: _id, sourceId: _sourceId, createdAt, ...createdFields } = createdCustomer;
  const writes = {
    created: { ...createdFields, createdAtIsInstant: !Number.isNaN(Date.parse(createdAt)) },
    createErrors: (created.data!.createCustomer as { userErrors: unknown[] }).userErrors,
    updated: updated.data?.updateCustomer,
  };

  const quentliTieOrder = nodes['quentliCustomers forward']!.filter((node) =>
    node.createdAt.startsWith('2024-03-01'),
  ).map((node) => node.sourceId);
  return { walks, lookups, writes, errors, quentliTieOrder };
}

let expected: Survey;
let documented: { sandbox: Sandbox; gateway: TestGateway };

beforeAll(async () => {
  documented = await startVariant(DOCUMENTED);
  expected = await survey(documented.gateway);
}, 120_000);

afterAll(async () => {
  await documented?.gateway.close();
  await documented?.sandbox.close();
});

describe('the gateway against the documented sandbox', () => {
  it('walks every connection both ways to the same list, with no errors', () => {
    expect(expected.errors).toEqual([]);
    expect(expected.walks['quentliCustomers backward']).toEqual(expected.walks['quentliCustomers forward']);
    expect(expected.walks['nxlinkCustomers backward']).toEqual(expected.walks['nxlinkCustomers forward']);
    expect(expected.walks['customers backward']).toEqual(expected.walks['customers forward']);
    expect(expected.walks['customers forward']).toHaveLength(120 + 25 + 120);
    expect(expected.walks['quentliCustomers oldest first']).toHaveLength(145);
  });

  it('orders a tie on createdAt longer than a page by id, with one sort key sent', () => {
    expect(expected.quentliTieOrder).toEqual(TIES.map((tie) => tie.id).reverse());
    for (const request of documented.sandbox.quentli.requests) {
      const params = new URLSearchParams(request.query);
      expect([...params.keys()].filter((key) => key.startsWith('orderBy['))).toEqual([]);
      expect(params.get('orderBy') ?? '').not.toContain('&');
    }
  });

  it('never sends a list of more than 20 items inside filter', () => {
    for (const request of documented.sandbox.quentli.requests) {
      const filter = new URLSearchParams(request.query).get('filter') ?? '';
      expect(filter).not.toMatch(/\[in\]\[20\]/);
    }
  });

  it("refuses a client's filter with a list longer than 20 before any call, as bad input", async () => {
    documented.gateway.resetRequests();
    const ids = Array.from({ length: 21 }, (_, index) => `c${index}`);
    const { data, errors } = await documented.gateway.graphql(
      `query ($ids: [String!]) { quentliCustomers(first: 5, filter: { id: { in: $ids } }) { edges { node { id } } } }`,
      { ids },
    );
    expect(data).toBeNull();
    expect(errors).toMatchObject([
      { extensions: { code: 'BAD_USER_INPUT' }, message: expect.stringMatching(/at most 20 per list/) },
    ]);
    expect(documented.sandbox.quentli.requests).toHaveLength(0);
  });

  it('answers every look-up and both writes', () => {
    expect(expected.lookups.every((found) => found !== null)).toBe(true);
    expect(expected.writes).toMatchObject({
      created: { name: 'Variant Writer', phoneNumber: '+525500001111', createdAtIsInstant: true },
      createErrors: [],
      updated: { customer: { name: 'Variant Writer Renamed' }, userErrors: [] },
    });
  });
});

describe.each(VARIANTS)('the gateway against a sandbox with $name', (variant) => {
  let running: { sandbox: Sandbox; gateway: TestGateway };
  let actual: Survey;

  beforeAll(async () => {
    running = await startVariant(variant);
    actual = await survey(running.gateway);
  }, 120_000);

  afterAll(async () => {
    await running?.gateway.close();
    await running?.sandbox.close();
  });

  it('walks every connection both ways to the same lists as against the documented sandbox', () => {
    expect(actual.walks).toEqual(expected.walks);
    expect(actual.quentliTieOrder).toEqual(expected.quentliTieOrder);
  });

  it('answers the same look-ups and links, and both writes', () => {
    expect(actual.lookups).toEqual(expected.lookups);
    expect(actual.writes).toEqual(expected.writes);
  });

  it('has errors only where a record holds a value nothing can read: that field, coded, at its path', () => {
    if (!variant.quirks.includes('odd-records')) {
      expect(actual.errors).toEqual([]);
      return;
    }
    expect(actual.errors.length).toBeGreaterThan(0);
    for (const error of actual.errors) {
      expect(error.extensions).toMatchObject({ code: 'UPSTREAM_BAD_RESPONSE' });
      expect(['emailVerified', 'status']).toContain(error.path?.at(-1));
    }
    const unreadableQuentli = running.sandbox.quentli.store.all().filter((customer) => isUnreadableRecord(customer.id));
    expect(unreadableQuentli.length).toBeGreaterThan(0);
  });
});
