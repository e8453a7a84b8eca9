import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from './support/gateway.ts';

/** The GraphQL blocks of the README's "Example queries", in order, as written. */
function readmeExamples(): string[] {
  const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
  const section = readme.slice(
    readme.indexOf('## Example queries'),
    readme.indexOf('\n## ', readme.indexOf('## Example queries') + 3),
  );
  return [...section.matchAll(/```graphql\n([\s\S]*?)```/g)].map((match) => match[1]!);
}

const examples = readmeExamples();
let gateway: TestGateway;

beforeAll(async () => {
  // The sandbox as `npm start` seeds it (the same seed and size).
  gateway = await startTestGateway();
});
afterAll(() => gateway.close());

type Json = Record<string, unknown>;

/** An answer a reader would take as working: no error, and every root field has something in it. */
function expectUseful(data: Json | null | undefined): void {
  expect(data).toBeTruthy();
  for (const [field, value] of Object.entries(data!)) {
    expect(value, field).not.toBeNull();
    const entry = value as Json;
    if ('edges' in entry) expect((entry.edges as unknown[]).length, `${field} is empty`).toBeGreaterThan(0);
    if ('userErrors' in entry) {
      expect(entry.userErrors, field).toEqual([]);
      expect(entry.customer, field).not.toBeNull();
    }
  }
}

describe("the README's example queries, run as written against the sandbox", () => {
  it('are all found (a README edit that drops one should say so here)', () => {
    expect(examples).toHaveLength(6);
  });

  it.each(examples.slice(0, 3).map((example) => [example.trim().split('\n')[1]!.trim(), example]))(
    'answer without errors, with data: %s',
    async (_first, example) => {
      const response = await gateway.graphql(example);
      expect(response.errors).toBeUndefined();
      expectUseful(response.data);
    },
  );

  it('filter NXLink customers by the VIP tag, and find the customer of the example id', async () => {
    const { data } = await gateway.graphql(examples[2]!);
    for (const edge of data.nxlinkCustomers.edges as { node: { tags: { tagId: string; tagName: string }[] } }[]) {
      expect(edge.node.tags).toContainEqual({ tagId: '27301', tagName: 'VIP' });
    }
    expect(data.node.name).toBe('Sofía Pérez');
  });

  it('create a customer, then update it with the created id', async () => {
    const created = await gateway.graphql(examples[3]!);
    expect(created.errors).toBeUndefined();
    expectUseful(created.data);
    const id = created.data.createCustomer.customer.id as string;
    const updated = await gateway.graphql(examples[4]!, { id });
    expect(updated.errors).toBeUndefined();
    expectUseful(updated.data);
    expect(updated.data.updateCustomer.customer).toEqual({
      id,
      email: 'juan.perez@example.com',
      secondaryPhoneNumber: null,
    });
  });

  it('list people in both systems, and find the two Quentli records and the NXLink one of a shared phone', async () => {
    const { data, errors } = await gateway.graphql(examples[5]!);
    expect(errors).toBeUndefined();
    expectUseful(data);
    for (const edge of data.people.edges as { node: { quentliCustomers: unknown[]; nxlinkCustomers: unknown[] } }[]) {
      expect(edge.node.quentliCustomers.length).toBeGreaterThan(0);
      expect(edge.node.nxlinkCustomers.length).toBeGreaterThan(0);
    }
    expect(data.person.quentliCustomers).toHaveLength(2);
    expect(data.person.nxlinkCustomers).toHaveLength(1);
  });
});
