import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isUnreadableRecord, startSandbox, type Sandbox } from '../../src/sandbox/index.ts';
import { startTestGateway, type TestGateway } from '../support/gateway.ts';
import { NXLINK, QUENTLI_KEY, upstreamEnvironment } from '../sandbox/helpers.ts';

/** Upstream records that do not read as documented: the field fails, never the page. */

let sandbox: Sandbox;
let gateway: TestGateway;

beforeAll(async () => {
  sandbox = await startSandbox({
    quentliApiKey: QUENTLI_KEY,
    nxlink: NXLINK,
    customersPerSource: 60,
    quirks: ['odd-records'],
  });
  gateway = await startTestGateway(
    { HOST: '127.0.0.1', GATEWAY_ALLOW_ANONYMOUS: 'true', ...upstreamEnvironment(sandbox) },
    { sandbox },
  );
});

afterAll(async () => {
  await gateway.close();
  await sandbox.close();
});

describe('an NXLink page with a record holding an unreadable value', () => {
  it('returns every record, that field null with UPSTREAM_BAD_RESPONSE at its path', async () => {
    const { data, errors } = await gateway.graphql(
      `{ nxlinkCustomers(first: 50) { edges { node { sourceId fullName status gender } } } }`,
    );
    const nodes = data.nxlinkCustomers.edges.map((edge: { node: Record<string, unknown> }) => edge.node);
    expect(nodes).toHaveLength(50);
    const odd = nodes.flatMap((node: { sourceId: string }, index: number) =>
      isUnreadableRecord(node.sourceId) ? [index] : [],
    );
    expect(odd.length).toBeGreaterThan(0);
    expect(errors).toEqual(
      odd.map((index: number) => ({
        message: 'NXLink sent a value for status that the gateway cannot read',
        locations: [{ line: 1, column: 65 }],
        path: ['nxlinkCustomers', 'edges', index, 'node', 'status'],
        extensions: { code: 'UPSTREAM_BAD_RESPONSE', source: 'NXLINK' },
      })),
    );
    for (const index of odd) {
      expect(nodes[index].status).toBeNull();
      expect(nodes[index].fullName).not.toBeUndefined();
    }
  });

  it('answers with the same field errors on the runs after the document was compiled', async () => {
    const query = `{ nxlinkCustomers(first: 50) { edges { node { sourceId ...Odd } } } } fragment Odd on NxlinkCustomer { status }`;
    const runs = [];
    for (let run = 0; run < 3; run += 1) runs.push(await gateway.graphql(query));
    expect(runs[0]!.errors?.length).toBeGreaterThan(0);
    expect(runs[0]!.errors![0]!.locations).toEqual([{ line: 1, column: 104 }]);
    expect(runs[1]).toEqual(runs[0]);
    expect(runs[2]).toEqual(runs[0]);
  });

  it('logs each such record once, with source, record id and field, never the value, and counts it', async () => {
    const before = gateway.logs.length;
    await gateway.graphql(`{ nxlinkCustomers(first: 50) { edges { node { sourceId } } } }`);
    const lines = gateway.logs.slice(before).map((line) => JSON.parse(line) as Record<string, unknown>);
    const warnings = lines.filter((line) => Array.isArray(line.fields));
    expect(warnings.length).toBeGreaterThan(0);
    for (const warning of warnings) {
      expect(warning).toMatchObject({ source: 'NXLINK', fields: ['status'] });
      expect(isUnreadableRecord(String(warning.recordId))).toBe(true);
    }
    expect(new Set(warnings.map((warning) => warning.recordId)).size).toBe(warnings.length);
    expect(gateway.logs.slice(before).join('\n')).not.toContain('enabled');
    const metrics = await (await fetch(`${gateway.url}/metrics`)).text();
    expect(metrics).toMatch(/gateway_upstream_unreadable_fields_total\{source="NXLINK",field="status"\} [1-9]/);
  });
});

describe('a Quentli record holding an unreadable value', () => {
  it('answers node with the other fields, the field null with its error', async () => {
    const odd = sandbox.quentli.store.all().find((customer) => isUnreadableRecord(customer.id))!;
    const id = Buffer.from(`QuentliCustomer:${odd.id}`).toString('base64');
    const { data, errors } = await gateway.graphql(
      `query ($id: ID!) { node(id: $id) { ... on QuentliCustomer { sourceId name emailVerified } } }`,
      { id },
    );
    expect(data.node).toEqual({ sourceId: odd.id, name: odd.name, emailVerified: null });
    expect(errors).toMatchObject([
      { path: ['node', 'emailVerified'], extensions: { code: 'UPSTREAM_BAD_RESPONSE', source: 'QUENTLI' } },
    ]);
  });
});

describe('a write Quentli confirmed', () => {
  it('returns the customer when the answer has an unreadable field, with the field error', async () => {
    const created = await gateway.graphql(
      `mutation { createCustomer(input: { name: "Reads Oddly", clientMutationId: "m1" }) { clientMutationId customer { sourceId name emailVerified } userErrors { code } } }`,
    );
    const payload = created.data.createCustomer;
    expect(payload.customer.name).toBe('Reads Oddly');
    expect(payload.userErrors).toEqual([]);
    expect(payload.clientMutationId).toBe('m1');
    const unreadable = isUnreadableRecord(payload.customer.sourceId);
    expect(created.errors ?? []).toHaveLength(unreadable ? 1 : 0);
  });

  it('reports the write as done, not failed, when its 2xx answer cannot be read at all', async () => {
    sandbox.quentli.faults.set({ malformed: true, methods: ['POST'], times: 1 });
    const { data, errors } = await gateway.graphql(
      `mutation { createCustomer(input: { name: "Unreadable Answer", clientMutationId: "m2" }) { clientMutationId customer { sourceId } userErrors { code } } }`,
    );
    expect(data.createCustomer).toEqual({ clientMutationId: 'm2', customer: null, userErrors: [] });
    expect(errors).toMatchObject([
      {
        path: ['createCustomer', 'customer'],
        message: expect.stringMatching(/confirmed the create \(HTTP 200\).*was written/),
        extensions: { code: 'UPSTREAM_BAD_RESPONSE', source: 'QUENTLI' },
      },
    ]);
  });
});
