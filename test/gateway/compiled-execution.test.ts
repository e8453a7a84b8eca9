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
    const nodes = response.data?.quentliCustomers.edges.map(
      (edge: { node: { archivedAt: string | null } }) => edge.node,
    );
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

describe('compiled execution of documents that run again', () => {
  it('answers a document the same on its first run and on the runs compiled after it', async () => {
    const query = /* GraphQL */ `
      query Page {
        customers(first: 6) {
          edges { cursor node { id source name createdAt ... on QuentliCustomer { metadata { key value } nxlinkProfile { id fullName } } } }
          pageInfo { hasNextPage endCursor }
        }
      }
    `;
    const answers = [];
    for (let run = 0; run < 3; run += 1) answers.push(await gateway.graphql(query));
    expect(answers[0]!.errors).toBeUndefined();
    expect(answers[0]!.data?.customers.edges).toHaveLength(6);
    expect(answers[1]).toEqual(answers[0]);
    expect(answers[2]).toEqual(answers[0]);
  });

  it('reads the variables inside an inline JSONObject literal on every run', async () => {
    const created = await gateway.graphql(
      `mutation ($input: CreateCustomerInput!) { createCustomer(input: $input) { customer { id } userErrors { message } } }`,
      { input: { name: 'Literal Meta', username: `literal-meta-${Date.now()}` } },
    );
    const id = created.data?.createCustomer.customer.id as string;
    const update = /* GraphQL */ `
      mutation Grade($id: ID!, $grade: String!) {
        updateCustomer(input: { id: $id, data: { meta: { grade: $grade, fixed: "yes" } } }) { customer { meta } userErrors { message } }
      }
    `;
    for (const grade of ['5A', '5B', '6A']) {
      const { data, errors } = await gateway.graphql(update, { id, grade });
      expect(errors).toBeUndefined();
      expect(data?.updateCustomer.customer.meta).toEqual({ grade, fixed: 'yes' });
    }
  });
});
