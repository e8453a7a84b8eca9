import { ApolloClient, gql, HttpLink, InMemoryCache, type TypedDocumentNode } from '@apollo/client';
import { CombinedGraphQLErrors } from '@apollo/client/errors';
import { createClient, fetchExchange } from '@urql/core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type GraphQLResponse, type TestGateway } from '../support/gateway.ts';

let gateway: TestGateway;

beforeAll(async () => {
  // No retries and a breaker that stays closed: every request meets the fault itself.
  gateway = await startTestGateway({ UPSTREAM_RETRIES: '0', CIRCUIT_BREAKER_THRESHOLD: '1000' });
});
afterAll(() => gateway.close());
afterEach(() => {
  gateway.sandbox.quentli.faults.clear();
  gateway.sandbox.nxlink.faults.clear();
});

const CUSTOMERS = /* GraphQL */ `
  query Customers {
    customers(first: 10) {
      edges { cursor node { id source sourceId name } }
      pageInfo { hasNextPage endCursor }
      unavailableSources
    }
  }
`;
const BOTH_SOURCES = /* GraphQL */ `
  query BothSources {
    quentliCustomers(first: 2) { edges { node { id sourceId } } unavailableSources }
    nxlinkCustomers(first: 2) { edges { node { id sourceId } } unavailableSources }
  }
`;

type Value = unknown;
interface CustomersPage {
  edges: { node: { id: string; source: string } }[];
  unavailableSources: string[];
}

/**
 * The spec's rule for errors beside data ("Response", "Errors"; "Handling Execution Errors"): an
 * error with a `path` means the field there is null (or a null above it, where nulls propagated).
 */
function expectSpecConformant(response: GraphQLResponse): void {
  for (const error of response.errors ?? []) {
    if (error.path === undefined) continue;
    let value: Value = response.data;
    for (const segment of error.path) {
      if (value === null) break;
      value = (value as Record<string | number, Value>)[segment];
    }
    expect(value, `the error at ${error.path.join('.')} has a value there`).toBeNull();
  }
}

describe('a source that fails, seen over HTTP', () => {
  it('leaves customers with the other source, its name in unavailableSources, and a pathless error', async () => {
    gateway.sandbox.nxlink.faults.set({ status: 503 });
    const response = await gateway.graphql(CUSTOMERS);
    expectSpecConformant(response);
    const customers = response.data?.customers as {
      edges: { node: { source: string } }[];
      unavailableSources: string[];
    };
    expect(customers.edges).toHaveLength(10);
    expect(new Set(customers.edges.map((edge) => edge.node.source))).toEqual(new Set(['QUENTLI']));
    expect(customers.unavailableSources).toEqual(['NXLINK']);
    expect(response.errors).toEqual([
      { message: expect.any(String), extensions: { code: 'UPSTREAM_UNAVAILABLE', source: 'NXLINK' } },
    ]);
  });

  it("keeps the other source's connection whole beside the failed one's empty page", async () => {
    gateway.sandbox.quentli.faults.set({ status: 503 });
    const response = await gateway.graphql(BOTH_SOURCES);
    expectSpecConformant(response);
    expect(response.data?.quentliCustomers).toEqual({ edges: [], unavailableSources: ['QUENTLI'] });
    expect(response.data?.nxlinkCustomers.edges).toHaveLength(2);
    expect(response.data?.nxlinkCustomers.unavailableSources).toEqual([]);
    expect(response.errors?.map((error) => error.extensions)).toEqual([
      { code: 'UPSTREAM_UNAVAILABLE', source: 'QUENTLI' },
    ]);
  });

  it('names both sources when both fail, and still answers the connection', async () => {
    gateway.sandbox.quentli.faults.set({ status: 503 });
    gateway.sandbox.nxlink.faults.set({ status: 503 });
    const response = await gateway.graphql(CUSTOMERS);
    expectSpecConformant(response);
    expect(response.data?.customers.edges).toEqual([]);
    expect([...response.data!.customers.unavailableSources].sort()).toEqual(['NXLINK', 'QUENTLI']);
    expect(response.errors?.map((error) => error.extensions?.source).sort()).toEqual(['NXLINK', 'QUENTLI']);
  });

  it('says nothing of sources when every source answers', async () => {
    const response = await gateway.graphql(CUSTOMERS);
    expect(response.errors).toBeUndefined();
    expect(response.data?.customers.unavailableSources).toEqual([]);
  });
});

describe('Apollo Client (errorPolicy "all", normalized InMemoryCache)', () => {
  it('returns the data and the error, and caches the customers it did get', async () => {
    gateway.sandbox.nxlink.faults.set({ status: 503 });
    const client = new ApolloClient({
      link: new HttpLink({ uri: `${gateway.url}/graphql` }),
      cache: new InMemoryCache(),
    });
    const query: TypedDocumentNode<{ customers: CustomersPage }> = gql(CUSTOMERS);
    const result = await client.query({ query, errorPolicy: 'all', fetchPolicy: 'network-only' });
    const customers = result.data!.customers;
    expect(customers.edges).toHaveLength(10);
    expect(customers.unavailableSources).toEqual(['NXLINK']);
    expect(CombinedGraphQLErrors.is(result.error)).toBe(true);
    const errors = CombinedGraphQLErrors.is(result.error) ? result.error.errors : [];
    expect(errors.map((error) => error.extensions)).toEqual([{ code: 'UPSTREAM_UNAVAILABLE', source: 'NXLINK' }]);
    // The page went into the normalized cache: a cache-only read answers it, record by record.
    const cached = client.readQuery({ query });
    expect(cached).toEqual(result.data);
    const first = customers.edges[0]!.node;
    expect(client.cache.identify({ __typename: 'QuentliCustomer', id: first.id })).toBe(`QuentliCustomer:${first.id}`);
    expect((client.cache.extract() as Record<string, unknown>)[`QuentliCustomer:${first.id}`]).toMatchObject({
      id: first.id,
      source: 'QUENTLI',
    });
    client.stop();
  });
});

describe('urql', () => {
  it('returns the data and a CombinedError holding the source error, over GET as urql sends queries', async () => {
    gateway.sandbox.quentli.faults.set({ status: 503 });
    const client = createClient({
      url: `${gateway.url}/graphql`,
      exchanges: [fetchExchange],
      preferGetMethod: 'force',
    });
    const result = await client.query(BOTH_SOURCES, {}).toPromise();
    expect(result.data?.quentliCustomers).toEqual({ edges: [], unavailableSources: ['QUENTLI'] });
    expect(result.data?.nxlinkCustomers.edges).toHaveLength(2);
    expect(result.error?.graphQLErrors.map((error) => error.extensions)).toEqual([
      { code: 'UPSTREAM_UNAVAILABLE', source: 'QUENTLI' },
    ]);
    expect(result.error?.networkError).toBeUndefined();
  });
});
