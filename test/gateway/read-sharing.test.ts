import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../support/gateway.ts';

const QUENTLI_PAGE = /* GraphQL */ `query Page($first: Int) { quentliCustomers(first: $first) { edges { node { id name } } } }`;
const NXLINK_PAGE = /* GraphQL */ `query Page($first: Int) { nxlinkCustomers(first: $first) { edges { node { id name } } } }`;
const CREATE = /* GraphQL */ `
  mutation Create($input: CreateCustomerInput!) { createCustomer(input: $input) { customer { id } userErrors { message } } }
`;

let gateway: TestGateway;

beforeAll(async () => {
  gateway = await startTestGateway();
});
afterAll(() => gateway.close());
beforeEach(() => gateway.resetRequests());
afterEach(() => {
  gateway.sandbox.quentli.faults.clear();
  gateway.sandbox.nxlink.faults.clear();
});

/** Reads saved so far, per source, from the gateway's own metrics. */
async function sharedReads(): Promise<{ QUENTLI: number; NXLINK: number }> {
  const text = await (await fetch(`${gateway.url}/metrics`)).text();
  const count = (source: string) =>
    Number(
      new RegExp(`^gateway_upstream_reads_shared_total\\{source="${source}"\\} (\\d+)$`, 'm').exec(text)?.[1] ?? 0,
    );
  return { QUENTLI: count('QUENTLI'), NXLINK: count('NXLINK') };
}

describe('identical upstream reads in flight at the same moment', () => {
  it('share one Quentli call and its answer, and the calls saved are counted', async () => {
    gateway.sandbox.quentli.faults.set({ latencyMs: 200 });
    const before = await sharedReads();
    const answers = await Promise.all([1, 2, 3].map(() => gateway.graphql(QUENTLI_PAGE, { first: 3 })));
    expect(gateway.sandbox.quentli.requests).toHaveLength(1);
    for (const answer of answers) {
      expect(answer.errors).toBeUndefined();
      expect(answer.data).toEqual(answers[0]!.data);
    }
    expect((await sharedReads()).QUENTLI - before.QUENTLI).toBe(2);
  });

  it('share one NXLink call, whose signature is made once', async () => {
    gateway.sandbox.nxlink.faults.set({ latencyMs: 200 });
    const before = await sharedReads();
    const answers = await Promise.all([1, 2].map(() => gateway.graphql(NXLINK_PAGE, { first: 4 })));
    expect(gateway.sandbox.nxlink.requests).toHaveLength(1);
    expect(answers[1]!.data).toEqual(answers[0]!.data);
    expect((await sharedReads()).NXLINK - before.NXLINK).toBe(1);
  });

  it('are not shared when their parameters differ', async () => {
    gateway.sandbox.quentli.faults.set({ latencyMs: 200 });
    await Promise.all([3, 4].map((first) => gateway.graphql(QUENTLI_PAGE, { first })));
    expect(gateway.sandbox.quentli.requests).toHaveLength(2);
  });

  it('are not shared once the first has answered: the next read calls again', async () => {
    await gateway.graphql(QUENTLI_PAGE, { first: 3 });
    await gateway.graphql(QUENTLI_PAGE, { first: 3 });
    expect(gateway.sandbox.quentli.requests).toHaveLength(2);
  });

  it('share a failure too, as each request would have had it alone', async () => {
    gateway.sandbox.quentli.faults.set({ status: 401, latencyMs: 200 });
    const answers = await Promise.all([1, 2].map(() => gateway.graphql(QUENTLI_PAGE, { first: 3 })));
    expect(gateway.sandbox.quentli.requests).toHaveLength(1);
    for (const answer of answers) expect(answer.errors?.[0]?.extensions?.code).toBe('UPSTREAM_AUTH');
  });
});

describe('writes', () => {
  it('are never shared: two identical creates in flight together are two calls', async () => {
    gateway.sandbox.quentli.faults.set({ latencyMs: 200, methods: ['POST'] });
    const input = { name: 'Twin', email: 'twin@example.com' };
    await Promise.all([1, 2].map(() => gateway.graphql(CREATE, { input })));
    expect(gateway.sandbox.quentli.requests.filter((request) => request.method === 'POST')).toHaveLength(2);
  });
});
