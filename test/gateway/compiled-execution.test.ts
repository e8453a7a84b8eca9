import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../support/gateway.ts';

let gateway: TestGateway;

beforeAll(async () => {
  gateway = await startTestGateway();
});
afterAll(() => gateway.close());

describe('execution of the documents compiled execution cannot take', () => {
  it('answers a recursive filter passed as a variable at once, and filters by it', async () => {
    const query = /* GraphQL */ `
      query Archived($filter: QuentliCustomerFilter) {
        quentliCustomers(first: 5, filter: $filter) { edges { node { archivedAt } } }
      }
    `;
    const filter = { AND: [{ archived: false }, { OR: [{ archived: false }, { NOT: [{ archived: true }] }] }] };
    const started = performance.now();
    const response = await gateway.graphql(query, { filter });
    // Generous: it catches work that grows with the nesting, not a slow machine.
    expect(performance.now() - started).toBeLessThan(5_000);
    expect(response.errors).toBeUndefined();
    const nodes = response.data?.quentliCustomers.edges.map((edge: { node: { archivedAt: string | null } }) => edge.node);
    expect(nodes).toHaveLength(5);
    expect(nodes.every((node: { archivedAt: string | null }) => node.archivedAt === null)).toBe(true);
  });

  it('runs the operation a client names in a document of several', async () => {
    const document = /* GraphQL */ `
      query Quentli { quentliCustomers(first: 1) { edges { node { source } } } }
      query Nxlink { nxlinkCustomers(first: 1) { edges { node { source } } } }
    `;
    for (const operationName of ['Nxlink', 'Quentli', 'Nxlink']) {
      const response = await fetch(`${gateway.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: document, operationName }),
      });
      const body = (await response.json()) as { data: Record<string, { edges: { node: { source: string } }[] }> };
      const field = operationName === 'Nxlink' ? 'nxlinkCustomers' : 'quentliCustomers';
      expect(Object.keys(body.data)).toEqual([field]);
      expect(body.data[field]!.edges[0]!.node.source).toBe(operationName.toUpperCase());
    }
  });
});
