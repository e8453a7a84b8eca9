import { getVariableValues, Kind, parse, type OperationDefinitionNode } from 'graphql';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { schema } from '../../src/schema/index.ts';
import { startTestGateway, type TestGateway } from '../support/gateway.ts';

let gateway: TestGateway;

beforeAll(async () => {
  gateway = await startTestGateway();
});
afterAll(() => gateway.close());
beforeEach(() => gateway.resetRequests());

const upstreamCalls = () => gateway.sandbox.quentli.requests.length + gateway.sandbox.nxlink.requests.length;

/** The messages graphql-js itself gives for these variables of this document. */
function graphqlJsMessages(document: string, variables: Record<string, unknown>): string[] {
  const operation = parse(document).definitions.find(
    (definition): definition is OperationDefinitionNode => definition.kind === Kind.OPERATION_DEFINITION,
  );
  const { errors } = getVariableValues(schema, operation?.variableDefinitions ?? [], variables);
  return (errors ?? []).map((error) => error.message);
}

const CREATE = /* GraphQL */ `
  mutation Create($in: CreateCustomerInput!) {
    createCustomer(input: $in) { customer { id } userErrors { field message code } }
  }
`;
const UPDATE = /* GraphQL */ `
  mutation Update($in: UpdateCustomerInput!) {
    updateCustomer(input: $in) { customer { id } userErrors { field message code } }
  }
`;
const CUSTOMERS = /* GraphQL */ `
  query Customers($first: Int, $filter: CustomerFilter, $sources: [CustomerSource!]) {
    customers(first: $first, filter: $filter, sources: $sources) { edges { cursor } }
  }
`;

describe('variables that do not fit their types', () => {
  it.each([
    ['two bad fields of an input object', CREATE, { in: { name: 'Ana', email: 'not-an-email', phoneNumber: 'x' } }],
    ['bad fields of a filter', CUSTOMERS, { filter: { email: 'bad', createdAfter: 'yesterday' } }],
    ['a scalar', CUSTOMERS, { first: 'ten' }],
    ['an enum in a list', CUSTOMERS, { sources: ['QUENTLI', 'SALESFORCE'] }],
    ['a required field left out', CREATE, { in: { email: 'ana@example.com' } }],
  ])('are answered as graphql-js answers them: %s', async (_what, document, variables) => {
    const expected = graphqlJsMessages(document, variables);
    expect(expected.length).toBeGreaterThan(0);
    // Twice: the second request runs a document that is compiled and cached by then.
    for (let attempt = 0; attempt < 2; attempt++) {
      const response = await gateway.graphql(document, variables);
      expect(response.data).toBeUndefined();
      expect(response.errors?.map((error) => error.message)).toEqual(expected);
      expect(response.errors?.every((error) => error.extensions?.code === 'BAD_USER_INPUT')).toBe(true);
    }
    expect(upstreamCalls()).toBe(0);
  });

  it('name the variable given and the path to each bad field inside it', async () => {
    const response = await gateway.graphql(CREATE, { in: { name: 'Ana', email: 'not-an-email', phoneNumber: 'x' } });
    expect(response.errors?.map((error) => error.message.slice(0, error.message.indexOf(';')))).toEqual([
      'Variable "$in" got invalid value "not-an-email" at "in.email"',
      'Variable "$in" got invalid value "x" at "in.phoneNumber"',
    ]);
  });

  it('do not stop the same document from running with good variables', async () => {
    await gateway.graphql(CUSTOMERS, { first: 'ten' });
    const response = await gateway.graphql(CUSTOMERS, { first: 2, filter: { search: 'a' } });
    expect(response.errors).toBeUndefined();
    expect(response.data?.customers.edges).toHaveLength(2);
  });
});

describe("input rules: one path convention, from the mutation's argument", () => {
  it('names a broken rule of createCustomer input.name, in the message and in `field`', async () => {
    const response = await gateway.graphql(CREATE, { in: { name: '   ' } });
    expect(response.errors).toEqual([
      expect.objectContaining({
        message: 'input.name must not be blank',
        extensions: { code: 'BAD_USER_INPUT', field: ['input', 'name'] },
      }),
    ]);
    expect(upstreamCalls()).toBe(0);
  });

  it('names a broken rule of updateCustomer input.data.name', async () => {
    const id = Buffer.from('QuentliCustomer:cnosuchcustomer0000000000').toString('base64');
    const response = await gateway.graphql(UPDATE, { in: { id, data: { username: 'a' } } });
    expect(response.errors).toEqual([
      expect.objectContaining({
        message: 'input.data.username must be 3 to 64 letters, digits, dots, dashes or underscores',
        extensions: { code: 'BAD_USER_INPUT', field: ['input', 'data', 'username'] },
      }),
    ]);
    expect(upstreamCalls()).toBe(0);
  });

  it("gives Quentli's refusals as userErrors with the same paths", async () => {
    // Seven digits pass E.164 here; Quentli wants at least eight and answers 422 with details.
    const created = await gateway.graphql(CREATE, { in: { name: 'Ana', phoneNumber: '+5255123' } });
    expect(created.data?.createCustomer.userErrors).toEqual([
      { field: ['input', 'phoneNumber'], message: expect.any(String), code: 'VALIDATION_ERROR' },
    ]);
    const { data } = await gateway.graphql(`{ quentliCustomers(first: 1) { edges { node { id } } } }`);
    const updated = await gateway.graphql(UPDATE, {
      in: { id: data?.quentliCustomers.edges[0].node.id, data: { phoneNumber: '+5255123' } },
    });
    expect(updated.data?.updateCustomer.userErrors).toEqual([
      { field: ['input', 'data', 'phoneNumber'], message: expect.any(String), code: 'VALIDATION_ERROR' },
    ]);
  });
});
