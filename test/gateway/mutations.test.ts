import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../support/gateway.ts';

const CREATE = /* GraphQL */ `
  mutation Create($input: CreateCustomerInput!) {
    createCustomer(input: $input) {
      clientMutationId
      customer { id sourceId name email phoneNumber username createdAt metadata { key value } }
      userErrors { field message code }
    }
  }
`;

const UPDATE = /* GraphQL */ `
  mutation Update($input: UpdateCustomerInput!) {
    updateCustomer(input: $input) {
      clientMutationId
      customer { id name email secondaryPhoneNumber meta }
      userErrors { field message code }
    }
  }
`;

let gateway: TestGateway;
let counter = 0;
const unique = (prefix: string) => `${prefix}_${Date.now().toString(36)}_${++counter}`;

beforeAll(async () => {
  gateway = await startTestGateway({ UPSTREAM_TIMEOUT_MS: '500' });
});
afterAll(() => gateway.close());
beforeEach(() => gateway.resetRequests());
afterEach(() => gateway.sandbox.quentli.faults.clear());

const writes = (method: 'POST' | 'PATCH') => gateway.sandbox.quentli.requests.filter((r) => r.method === method);

describe('createCustomer', () => {
  it('creates a Quentli customer that is then first in `customers`', async () => {
    const username = unique('juan');
    const { data, errors } = await gateway.graphql(CREATE, {
      input: {
        clientMutationId: 'm-1',
        name: '  Juan Pérez  ',
        username,
        email: `${username}@example.com`,
        phoneNumber: '+525512345678',
        metadata: [{ key: 'studentId', value: 'A-1029' }],
        tags: ['VIP'],
      },
    });
    expect(errors).toBeUndefined();
    const payload = data.createCustomer;
    expect(payload).toMatchObject({ clientMutationId: 'm-1', userErrors: [] });
    expect(payload.customer).toMatchObject({
      name: 'Juan Pérez',
      username,
      metadata: [{ key: 'studentId', value: 'A-1029' }],
    });
    expect(writes('POST')).toHaveLength(1);
    const sent = JSON.parse(writes('POST')[0]!.body);
    expect(Object.keys(sent)).toEqual(['input']);
    expect(sent.input).not.toHaveProperty('clientMutationId');
    expect(sent.input.name).toBe('Juan Pérez');

    const top = await gateway.graphql(`{ customers(first: 1) { edges { node { id } } } }`);
    expect(top.data.customers.edges[0].node.id).toBe(payload.customer.id);
  });

  it.each([
    [{ name: 'Ana', email: 'ana@@example' }, /email/i],
    [{ name: 'Ana', phoneNumber: '5512345678' }, /input\.phoneNumber must be an E\.164 phone number/],
    [{ name: '   ' }, /input\.name must not be blank/],
    [{ name: 'Ana', username: 'a b' }, /input\.username must be/],
    [
      {
        name: 'Ana',
        metadata: [
          { key: 'k', value: '1' },
          { key: 'k', value: '2' },
        ],
      },
      /input\.metadata keys must be unique/,
    ],
  ])('refuses %j before any upstream call', async (input, message) => {
    const response = await gateway.graphql(CREATE, { input });
    expect(response.errors?.[0]?.message).toMatch(message);
    expect(response.data?.createCustomer ?? null).toBeNull();
    expect(writes('POST')).toHaveLength(0);
  });

  it('answers a taken username with a userError and no customer', async () => {
    const username = unique('taken');
    await gateway.graphql(CREATE, { input: { name: 'First', username } });
    const { data, errors } = await gateway.graphql(CREATE, { input: { name: 'Second', username } });
    expect(errors).toBeUndefined();
    expect(data.createCustomer.customer).toBeNull();
    expect(data.createCustomer.userErrors).toHaveLength(1);
    expect(data.createCustomer.userErrors[0]).toMatchObject({ code: 'CONFLICT' });
  });

  it('maps a Quentli validation error onto the input field it names', async () => {
    gateway.sandbox.quentli.faults.set({ status: 422, methods: ['POST'] });
    const { data } = await gateway.graphql(CREATE, { input: { name: 'Ana' } });
    expect(data.createCustomer.customer).toBeNull();
    expect(data.createCustomer.userErrors[0]).toMatchObject({ code: 'VALIDATION_ERROR' });
  });

  it('sends a create once when Quentli fails, and reports UPSTREAM_UNAVAILABLE', async () => {
    gateway.sandbox.quentli.faults.set({ status: 500, methods: ['POST'] });
    const response = await gateway.graphql(CREATE, { input: { name: 'Ana' } });
    expect(writes('POST')).toHaveLength(1);
    expect(response.errors).toHaveLength(1);
    expect(response.errors?.[0]?.extensions).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', source: 'QUENTLI' });
  });

  it('reports a create that timed out as an unknown outcome, never retried', async () => {
    gateway.sandbox.quentli.faults.set({ latencyMs: 1500, methods: ['POST'] });
    const response = await gateway.graphql(CREATE, { input: { name: 'Ana' } });
    expect(response.errors?.[0]?.extensions).toMatchObject({ code: 'UPSTREAM_OUTCOME_UNKNOWN', source: 'QUENTLI' });
    await new Promise((resolve) => setTimeout(resolve, 1600));
    expect(writes('POST')).toHaveLength(1);
  });
});

describe('updateCustomer', () => {
  async function createOne() {
    const username = unique('upd');
    const { data } = await gateway.graphql(CREATE, {
      input: { name: 'Carla Núñez', username, email: `${username}@example.com`, secondaryPhoneNumber: '+525598765432' },
    });
    gateway.resetRequests();
    return data.createCustomer.customer as { id: string; sourceId: string; email: string };
  }

  it('sends only the fields the client set, with explicit nulls to clear', async () => {
    const customer = await createOne();
    const { data, errors } = await gateway.graphql(UPDATE, {
      input: {
        id: customer.id,
        clientMutationId: 'u-1',
        data: { name: 'Carla Núñez Ruiz', secondaryPhoneNumber: null },
      },
    });
    expect(errors).toBeUndefined();
    expect(data.updateCustomer).toMatchObject({
      clientMutationId: 'u-1',
      userErrors: [],
      customer: { id: customer.id, name: 'Carla Núñez Ruiz', email: customer.email, secondaryPhoneNumber: null },
    });
    const [patch] = writes('PATCH');
    expect(patch?.path).toBe(`/v1/customers/${customer.sourceId}`);
    expect(JSON.parse(patch!.body)).toEqual({
      input: { data: { name: 'Carla Núñez Ruiz', secondaryPhoneNumber: null } },
    });
  });

  it('is read fresh by the next query', async () => {
    const customer = await createOne();
    await gateway.graphql(UPDATE, { input: { id: customer.id, data: { meta: { grade: '5A' } } } });
    const { data } = await gateway.graphql(`query ($id: ID!) { node(id: $id) { ... on QuentliCustomer { meta } } }`, {
      id: customer.id,
    });
    expect(data.node.meta).toEqual({ grade: '5A' });
  });

  it('refuses the id of an NXLink customer without calling Quentli', async () => {
    const { data } = await gateway.graphql(`{ nxlinkCustomers(first: 1) { edges { node { id } } } }`);
    const response = await gateway.graphql(UPDATE, {
      input: { id: data.nxlinkCustomers.edges[0].node.id, data: { name: 'X' } },
    });
    expect(response.errors?.[0]?.message).toMatch(/only QuentliCustomer records can be updated/);
    expect(response.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(writes('PATCH')).toHaveLength(0);
  });

  it('answers an unknown customer with a NOT_FOUND userError', async () => {
    const id = Buffer.from('QuentliCustomer:cnosuchcustomer0000000000').toString('base64');
    const { data } = await gateway.graphql(UPDATE, { input: { id, data: { name: 'X' } } });
    expect(data.updateCustomer.customer).toBeNull();
    expect(data.updateCustomer.userErrors[0]).toMatchObject({ code: 'NOT_FOUND' });
  });

  it('refuses a password without a one-time password, and a cleared name', async () => {
    const customer = await createOne();
    const password = await gateway.graphql(UPDATE, { input: { id: customer.id, data: { password: 'S3cure!pass' } } });
    expect(password.errors?.[0]?.message).toMatch(/requires input\.otp/);
    const name = await gateway.graphql(UPDATE, { input: { id: customer.id, data: { name: null } } });
    expect(name.errors?.[0]?.message).toMatch(/name cannot be cleared/);
    expect(writes('PATCH')).toHaveLength(0);
  });

  it('refuses a malformed tosIp before any upstream call', async () => {
    const customer = await createOne();
    const response = await gateway.graphql(UPDATE, { input: { id: customer.id, data: { tosIp: '999.1.1.1' } } });
    expect(response.errors?.[0]?.message).toMatch(/tosIp|IP/);
    expect(writes('PATCH')).toHaveLength(0);
  });
});
