import { isObjectType } from 'graphql';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { schema } from '../../src/schema/index.ts';
import { startTestGateway, type TestGateway } from '../support/gateway.ts';

let gateway: TestGateway;
let quentli: string[];
let nxlink: string[];

const globalId = (text: string) => Buffer.from(text).toString('base64');
const upstreamCalls = () => gateway.sandbox.quentli.requests.length + gateway.sandbox.nxlink.requests.length;

beforeAll(async () => {
  gateway = await startTestGateway();
  const { data } = await gateway.graphql(`{
    quentliCustomers(first: 2) { edges { node { id } } }
    nxlinkCustomers(first: 2) { edges { node { id } } }
  }`);
  const ids = (connection: { edges: { node: { id: string } }[] }) => connection.edges.map((edge) => edge.node.id);
  quentli = ids(data.quentliCustomers);
  nxlink = ids(data.nxlinkCustomers);
});
afterAll(() => gateway.close());
beforeEach(() => gateway.resetRequests());

const NODE = /* GraphQL */ `query ($id: ID!) { node(id: $id) { id } }`;
const NODES = /* GraphQL */ `query ($ids: [ID!]!) { nodes(ids: $ids) { id } }`;

/** Ids a client may hold that name nothing this gateway can load, and why. */
const MALFORMED: [string, string][] = [
  ['a word, not base64 of Type:id', 'hello'],
  ['a type this gateway does not have', globalId('Foo:1')],
  ['an NXLink id that is not a number', globalId('NxlinkCustomer:abc')],
  ['an NXLink id past 64 bits', globalId('NxlinkCustomer:9223372036854775808')],
  ['an NXLink id with a leading zero', globalId('NxlinkCustomer:0123')],
  ['a Quentli id with characters a cuid never has', globalId('QuentliCustomer:cm]ab12 cd')],
  ['a Quentli id that is a number', globalId('QuentliCustomer:12345')],
  ['a type that is not a Node', globalId('PageInfo:cmab12cd3000x1a2b3c4d5e6f')],
];

describe('node', () => {
  it.each(MALFORMED)(
    'answers null for %s, with a BAD_USER_INPUT error at its path and no upstream call',
    async (_why, id) => {
      const response = await gateway.graphql(NODE, { id });
      expect(response.data).toEqual({ node: null });
      expect(response.errors).toEqual([
        expect.objectContaining({
          message: expect.stringMatching(/^id is not a global id of this gateway: /),
          path: ['node'],
          extensions: { code: 'BAD_USER_INPUT', field: ['id'] },
        }),
      ]);
      expect(upstreamCalls()).toBe(0);
    },
  );

  it('answers null, without an error, for a well-formed id of a customer that does not exist', async () => {
    for (const id of [
      globalId('QuentliCustomer:cnosuchcustomer0000000000'),
      globalId('NxlinkCustomer:1'),
      globalId('NxlinkCustomer:9223372036854775807'),
    ]) {
      const response = await gateway.graphql(NODE, { id });
      expect(response).toEqual({ status: 200, data: { node: null } });
    }
  });

  it('finds a customer of each source by its id', async () => {
    for (const id of [quentli[0], nxlink[0]]) {
      expect((await gateway.graphql(NODE, { id })).data).toEqual({ node: { id } });
    }
  });

  it('takes an id written inline in the document the same way', async () => {
    const response = await gateway.graphql(`{ node(id: "${globalId('NxlinkCustomer:abc')}") { id } }`);
    expect(response.data).toEqual({ node: null });
    expect(response.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });
});

describe('nodes', () => {
  it('answers null at the position of a malformed id and keeps every other answer', async () => {
    const response = await gateway.graphql(NODES, {
      ids: [quentli[0], 'not-a-global-id', nxlink[0], globalId('Foo:1'), quentli[1]],
    });
    expect(response.data).toEqual({ nodes: [{ id: quentli[0] }, null, { id: nxlink[0] }, null, { id: quentli[1] }] });
    expect(response.errors).toEqual([
      expect.objectContaining({ path: ['nodes', 1], extensions: { code: 'BAD_USER_INPUT', field: ['ids', '1'] } }),
      expect.objectContaining({ path: ['nodes', 3], extensions: { code: 'BAD_USER_INPUT', field: ['ids', '3'] } }),
    ]);
  });

  it('answers null alone for well-formed ids of customers that do not exist', async () => {
    const response = await gateway.graphql(NODES, { ids: [globalId('NxlinkCustomer:1'), nxlink[1]] });
    expect(response).toEqual({ status: 200, data: { nodes: [null, { id: nxlink[1] }] } });
  });

  it('accepts 100 ids and refuses 101 with a clear error, before any upstream call', async () => {
    const hundred = Array.from({ length: 100 }, (_, index) => quentli[index % 2]);
    expect((await gateway.graphql(NODES, { ids: hundred })).data?.nodes).toHaveLength(100);
    gateway.resetRequests();
    const response = await gateway.graphql(NODES, { ids: [...hundred, nxlink[0]] });
    expect(response.data).toBeNull();
    expect(response.errors).toEqual([
      expect.objectContaining({
        message: 'ids holds 101 ids; nodes accepts at most 100: ask for the rest in another call.',
        extensions: { code: 'BAD_USER_INPUT', field: ['ids'] },
      }),
    ]);
    expect(upstreamCalls()).toBe(0);
  });
});

describe('updateCustomer', () => {
  const UPDATE = /* GraphQL */ `
    mutation ($input: UpdateCustomerInput!) { updateCustomer(input: $input) { customer { id } userErrors { field message } } }
  `;

  it.each(MALFORMED)('refuses %s as input.id with BAD_USER_INPUT, before any upstream call', async (_why, id) => {
    const response = await gateway.graphql(UPDATE, { input: { id, data: { name: 'Ana' } } });
    expect(response.errors).toEqual([
      expect.objectContaining({
        message: expect.stringMatching(/^input\.id is not a global id of this gateway: /),
        extensions: { code: 'BAD_USER_INPUT', field: ['input', 'id'] },
      }),
    ]);
    expect(upstreamCalls()).toBe(0);
  });
});

describe('every Node type', () => {
  it('declares the shape of its ids (`id.parse`), so that node and nodes can check an id before loading it', () => {
    const nodeTypes = Object.values(schema.getTypeMap()).filter(
      (type) => isObjectType(type) && type.getInterfaces().some((implemented) => implemented.name === 'Node'),
    );
    expect(nodeTypes.length).toBeGreaterThan(0);
    const undeclared = nodeTypes
      .filter((type) => typeof type.extensions.pothosParseGlobalID !== 'function')
      .map((type) => type.name);
    expect(undeclared).toEqual([]);
  });
});
