import { execute, parse } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { schema } from '../../src/schema/index.ts';
import { startTestGateway, type TestGateway } from '../support/gateway.ts';

let gateway: TestGateway;

beforeAll(async () => {
  gateway = await startTestGateway();
});
afterAll(() => gateway.close());

/** What graphql-js itself reports for these variables, before any resolver runs. */
async function graphqlJsErrors(query: string, variables: Record<string, unknown>) {
  const result = await execute({ schema, document: parse(query), variableValues: variables });
  return (result.errors ?? []).map((error) => ({ message: error.message, locations: error.locations }));
}

const CREATE = /* GraphQL */ `
  mutation Create($in: CreateCustomerInput!) { createCustomer(input: $in) { customer { id } userErrors { message } } }
`;
const NXLINK_PAGE = /* GraphQL */ `
  query Page($first: Int, $filter: NxlinkCustomerFilter) { nxlinkCustomers(first: $first, filter: $filter) { edges { cursor } } }
`;

describe('variables that do not fit their types', () => {
  it.each([
    [
      'two bad fields inside an input variable',
      CREATE,
      { in: { name: 'Ana', email: 'not-an-email', phoneNumber: 'nope' } },
    ],
    ['a required field missing inside an input variable', CREATE, { in: { email: 'ana@example.com' } }],
    [
      'a bad element of a list inside an input variable',
      CREATE,
      { in: { name: 'Ana', metadata: [{ key: 'a', value: 'b' }, { key: 'c' }] } },
    ],
    ['a field the input type does not have', CREATE, { in: { name: 'Ana', nickname: 'A' } }],
    ['a missing required variable', CREATE, {}],
    [
      'a string for an Int and a bad instant in a filter, in one operation',
      NXLINK_PAGE,
      { first: 'ten', filter: { endTime: 'yesterday' } },
    ],
  ])('are reported exactly as graphql-js reports them: %s', async (_case, query, variables) => {
    const expected = await graphqlJsErrors(query, variables);
    expect(expected.length).toBeGreaterThan(0);
    const response = await gateway.graphql(query, variables);
    expect(response.data).toBeUndefined();
    // Locations are in every GraphQL error the gateway sends, though the helper's type leaves them out.
    const received = response.errors as { message: string; locations?: unknown }[] | undefined;
    expect(received?.map(({ message, locations }) => ({ message, locations }))).toEqual(expected);
    for (const error of response.errors ?? []) expect(error.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('name the variable the operation declares and the path to each bad field', async () => {
    const response = await gateway.graphql(CREATE, { in: { name: 'Ana', email: 'not-an-email', phoneNumber: 'nope' } });
    const messages = response.errors?.map((error) => error.message) ?? [];
    expect(messages).toHaveLength(2);
    expect(messages[0]).toMatch(/^Variable "\$in" got invalid value "not-an-email" at "in\.email"/);
    expect(messages[1]).toMatch(/^Variable "\$in" got invalid value "nope" at "in\.phoneNumber"/);
  });
});
