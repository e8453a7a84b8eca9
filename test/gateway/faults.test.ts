import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../support/gateway.ts';

const QUENTLI_PAGE = /* GraphQL */ `
  query QuentliPage { quentliCustomers(first: 3) { edges { node { sourceId name } } } }
`;
const NXLINK_PAGE = /* GraphQL */ `
  query NxlinkPage { nxlinkCustomers(first: 3) { edges { node { sourceId fullName } } } }
`;
const CUSTOMERS = /* GraphQL */ `
  query Customers { customers(first: 10) { edges { node { source sourceId } } } }
`;
const CREATE = /* GraphQL */ `
  mutation Create($input: CreateCustomerInput!) {
    createCustomer(input: $input) { customer { sourceId } userErrors { code } }
  }
`;

/** Fast settings so that every fault plays out within a test: short timeouts and cooldown. */
const RESILIENCE = {
  UPSTREAM_TIMEOUT_MS: '300',
  GATEWAY_REQUEST_TIMEOUT_MS: '2500',
  UPSTREAM_RETRIES: '2',
  CIRCUIT_BREAKER_THRESHOLD: '3',
  CIRCUIT_BREAKER_COOLDOWN_MS: '400',
};

let gateway: TestGateway;

beforeAll(async () => {
  gateway = await startTestGateway(RESILIENCE);
});
afterAll(() => gateway.close());
beforeEach(() => gateway.resetRequests());
afterEach(async () => {
  gateway.sandbox.quentli.faults.clear();
  gateway.sandbox.nxlink.faults.clear();
  await closeBreakers(gateway);
});

const reads = (upstream: 'quentli' | 'nxlink') =>
  gateway.sandbox[upstream].requests.filter((request) => request.method === 'GET' || request.path.endsWith('/query'));

async function timed<T>(run: () => Promise<T>): Promise<{ result: T; ms: number }> {
  const started = performance.now();
  const result = await run();
  return { result, ms: performance.now() - started };
}

/** Waits out the cooldown and lets a probe through each upstream, so tests start closed. */
async function closeBreakers(target: TestGateway): Promise<void> {
  const { upstreams } = await readiness(target);
  if (Object.values(upstreams).every((state) => state === 'closed')) return;
  await new Promise((resolve) => setTimeout(resolve, Number(RESILIENCE.CIRCUIT_BREAKER_COOLDOWN_MS) + 50));
  await target.graphql(QUENTLI_PAGE);
  await target.graphql(NXLINK_PAGE);
}

async function readiness(
  target: TestGateway,
): Promise<{ status: number; ready: boolean; upstreams: Record<string, string> }> {
  const response = await fetch(`${target.url}/readiness`);
  return {
    status: response.status,
    ...((await response.json()) as { ready: boolean; upstreams: Record<string, string> }),
  };
}

describe('read retries', () => {
  it('sends a Quentli read again after a 503 and answers as if nothing happened', async () => {
    gateway.sandbox.quentli.faults.set({ status: 503, times: 1 });
    const response = await gateway.graphql(QUENTLI_PAGE);
    expect(response.errors).toBeUndefined();
    expect(response.data?.quentliCustomers).toMatchObject({ edges: expect.any(Array) });
    expect(reads('quentli')).toHaveLength(2);
  });

  it('sends a Quentli read again after the connection was reset', async () => {
    gateway.sandbox.quentli.faults.set({ reset: true, times: 1 });
    const response = await gateway.graphql(QUENTLI_PAGE);
    expect(response.errors).toBeUndefined();
    expect(reads('quentli')).toHaveLength(2);
  });

  it('re-signs an NXLink query for each attempt after its code 500', async () => {
    gateway.sandbox.nxlink.faults.set({ nxlinkCode: 500, times: 2 });
    const response = await gateway.graphql(NXLINK_PAGE);
    expect(response.errors).toBeUndefined();
    const attempts = reads('nxlink');
    expect(attempts).toHaveLength(3);
    // The third attempt passed NXLink's signature and clock checks: it carried its own stamp.
    const stamps = attempts.map((request) => Number(request.headers.ts));
    expect(stamps).toEqual([...stamps].sort((a, b) => a - b));
    expect(new Set(attempts.map((request) => request.body)).size).toBe(1);
  });

  it('gives up after the configured retries with UPSTREAM_UNAVAILABLE naming the source', async () => {
    gateway.sandbox.nxlink.faults.set({ status: 502 });
    const response = await gateway.graphql(NXLINK_PAGE);
    expect(response.data?.nxlinkCustomers).toEqual({ edges: [] });
    expect(response.errors?.[0]?.extensions).toEqual({ code: 'UPSTREAM_UNAVAILABLE', source: 'NXLINK' });
    expect(reads('nxlink')).toHaveLength(1 + Number(RESILIENCE.UPSTREAM_RETRIES));
  });

  it('does not retry a Quentli 500, a malformed answer or refused credentials', async () => {
    gateway.sandbox.quentli.faults.set({ status: 500, times: 1 });
    const failed = await gateway.graphql(QUENTLI_PAGE);
    expect(failed.errors?.[0]?.extensions).toEqual({ code: 'UPSTREAM_UNAVAILABLE', source: 'QUENTLI' });
    expect(reads('quentli')).toHaveLength(1);

    gateway.resetRequests();
    gateway.sandbox.quentli.faults.set({ malformed: true, times: 1 });
    const malformed = await gateway.graphql(QUENTLI_PAGE);
    expect(malformed.errors?.[0]?.extensions).toEqual({ code: 'UPSTREAM_BAD_RESPONSE', source: 'QUENTLI' });
    expect(reads('quentli')).toHaveLength(1);

    gateway.resetRequests();
    gateway.sandbox.quentli.faults.set({ status: 401, times: 1 });
    const refused = await gateway.graphql(QUENTLI_PAGE);
    expect(refused.errors?.[0]?.extensions).toEqual({ code: 'UPSTREAM_AUTH', source: 'QUENTLI' });
    expect(reads('quentli')).toHaveLength(1);
  });

  it('times each attempt out and stops within the request deadline', async () => {
    gateway.sandbox.quentli.faults.set({ latencyMs: 10_000 });
    const { result, ms } = await timed(() => gateway.graphql(QUENTLI_PAGE));
    expect(result.errors?.[0]?.extensions).toEqual({ code: 'UPSTREAM_TIMEOUT', source: 'QUENTLI' });
    expect(reads('quentli').length).toBeGreaterThanOrEqual(2);
    // Far below the 10 s the upstream would take; the margin over the deadline is for a loaded machine.
    expect(ms).toBeLessThan(Number(RESILIENCE.GATEWAY_REQUEST_TIMEOUT_MS) + 1_500);
  });
});

describe('rate limiting', () => {
  it('waits out a Retry-After that ends before the deadline, then answers', async () => {
    gateway.sandbox.nxlink.faults.set({ status: 429, retryAfterSeconds: 1, times: 1 });
    const { result, ms } = await timed(() => gateway.graphql(NXLINK_PAGE));
    expect(result.errors).toBeUndefined();
    expect(reads('nxlink')).toHaveLength(2);
    expect(ms).toBeGreaterThanOrEqual(950);
  });

  it('answers UPSTREAM_RATE_LIMITED at once when Retry-After is past the deadline', async () => {
    gateway.sandbox.quentli.faults.set({ status: 429, retryAfterSeconds: 30 });
    const { result, ms } = await timed(() => gateway.graphql(QUENTLI_PAGE));
    expect(result.errors?.[0]?.extensions).toEqual({ code: 'UPSTREAM_RATE_LIMITED', source: 'QUENTLI' });
    expect(result.errors?.[0]?.message).toMatch(/rate limiting/);
    expect(reads('quentli')).toHaveLength(1);
    // Not the 30 s Retry-After, nor the request's deadline: the answer came without waiting.
    expect(ms).toBeLessThan(Number(RESILIENCE.GATEWAY_REQUEST_TIMEOUT_MS));
  });
});

describe('writes', () => {
  it('never sends a create twice: a 503 is one POST and an outage, a reset one POST and an unknown outcome', async () => {
    const faults = [
      { fault: { status: 503 }, code: 'UPSTREAM_UNAVAILABLE' },
      { fault: { reset: true }, code: 'UPSTREAM_OUTCOME_UNKNOWN' },
    ];
    for (const { fault, code } of faults) {
      gateway.resetRequests();
      gateway.sandbox.quentli.faults.set({ ...fault, times: 1, methods: ['POST'] });
      const response = await gateway.graphql(CREATE, {
        input: { name: 'Renata Solís', phoneNumber: '+525512340001' },
      });
      expect(response.data).toBeNull();
      expect(response.errors?.[0]?.extensions).toEqual({ code, source: 'QUENTLI' });
      expect(gateway.sandbox.quentli.requests.filter((request) => request.method === 'POST')).toHaveLength(1);
    }
  });
});

describe('circuit breaker', () => {
  it('fails fast while NXLink is down, keeps Quentli served, and serves NXLink again once it recovers', async () => {
    gateway.sandbox.nxlink.faults.set({ status: 503 });

    // Enough failures to open NXLink's breaker.
    const first = await gateway.graphql(CUSTOMERS);
    expect(first.errors?.[0]?.extensions).toEqual({ code: 'UPSTREAM_UNAVAILABLE', source: 'NXLINK' });
    expect((await readiness(gateway)).upstreams).toEqual({ QUENTLI: 'closed', NXLINK: 'open' });

    // Open: NXLink is not called at all, Quentli's customers come back with an error naming NXLink.
    gateway.resetRequests();
    const { result, ms } = await timed(() => gateway.graphql(CUSTOMERS));
    const sources = result.data?.customers.edges.map((edge: { node: { source: string } }) => edge.node.source);
    expect(sources).toHaveLength(10);
    expect(new Set(sources)).toEqual(new Set(['QUENTLI']));
    expect(result.errors?.[0]?.extensions).toEqual({ code: 'UPSTREAM_UNAVAILABLE', source: 'NXLINK' });
    expect(result.errors?.[0]?.message).toMatch(/circuit open/);
    // Not sent at all (no read reached NXLink), so no timeout was waited for either.
    expect(reads('nxlink')).toHaveLength(0);
    expect(ms).toBeLessThan(Number(RESILIENCE.GATEWAY_REQUEST_TIMEOUT_MS));

    // One source down is still a gateway that can serve.
    const ready = await readiness(gateway);
    expect(ready).toMatchObject({ status: 200, ready: true });
    const metrics = await (await fetch(`${gateway.url}/metrics`)).text();
    expect(metrics).toMatch(/gateway_circuit_breaker_state\{source="NXLINK"\} 2/);

    // NXLink recovers: after the cooldown one probe closes the breaker, no restart needed.
    gateway.sandbox.nxlink.faults.clear();
    await new Promise((resolve) => setTimeout(resolve, Number(RESILIENCE.CIRCUIT_BREAKER_COOLDOWN_MS) + 50));
    const recovered = await gateway.graphql(CUSTOMERS);
    expect(recovered.errors).toBeUndefined();
    expect(
      new Set(recovered.data?.customers.edges.map((edge: { node: { source: string } }) => edge.node.source)),
    ).toEqual(new Set(['QUENTLI', 'NXLINK']));
    expect((await readiness(gateway)).upstreams).toEqual({ QUENTLI: 'closed', NXLINK: 'closed' });
  });

  it('answers readiness 503 while every upstream is failing fast', async () => {
    gateway.sandbox.quentli.faults.set({ status: 503 });
    gateway.sandbox.nxlink.faults.set({ status: 503 });
    await gateway.graphql(CUSTOMERS);
    const ready = await readiness(gateway);
    expect(ready).toMatchObject({ status: 503, ready: false, upstreams: { QUENTLI: 'open', NXLINK: 'open' } });
    const health = await fetch(`${gateway.url}/health`);
    expect(health.status).toBe(200);
  });
});

describe('request log', () => {
  it('writes one JSON line per request with its id, operation and upstream timings', async () => {
    const response = await fetch(`${gateway.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-request-id': 'checkout-42' },
      body: JSON.stringify({ query: CUSTOMERS }),
    });
    expect(response.headers.get('x-request-id')).toBe('checkout-42');
    await response.text();
    const line = gateway.logs.map((text) => JSON.parse(text)).find((entry) => entry.requestId === 'checkout-42');
    expect(line).toMatchObject({
      msg: 'request',
      method: 'POST',
      path: '/graphql',
      operation: 'Customers',
      status: 200,
      upstreams: {
        QUENTLI: { calls: 1, failed: 0, ms: expect.any(Number) },
        NXLINK: { calls: 1, failed: 0, ms: expect.any(Number) },
      },
    });
    expect(line.durationMs).toBeGreaterThan(0);
  });

  it('replaces a request id that is not a plain token', async () => {
    const response = await fetch(`${gateway.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-request-id': 'a b\u00e9"}{' },
      body: JSON.stringify({ query: QUENTLI_PAGE }),
    });
    await response.text();
    expect(response.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe('request deadline', () => {
  let slow: TestGateway;
  beforeAll(async () => {
    slow = await startTestGateway({ UPSTREAM_TIMEOUT_MS: '5000', GATEWAY_REQUEST_TIMEOUT_MS: '400' });
  });
  afterAll(() => slow.close());

  it('ends every upstream call when the request deadline passes', async () => {
    slow.sandbox.nxlink.faults.set({ latencyMs: 10_000 });
    const { result, ms } = await timed(() => slow.graphql(NXLINK_PAGE));
    expect(result.errors?.[0]?.extensions).toEqual({ code: 'UPSTREAM_TIMEOUT', source: 'NXLINK' });
    expect(result.errors?.[0]?.message).toMatch(/deadline/);
    // The 400 ms deadline ended it, not the 5 s attempt timeout nor the 10 s upstream (margin for load).
    expect(ms).toBeLessThan(3_000);
    slow.sandbox.nxlink.faults.clear();
  });
});
