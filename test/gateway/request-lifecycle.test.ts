import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../support/gateway.ts';

let gateway: TestGateway;
beforeAll(async () => {
  // A deadline far longer than the spec: a timer left running would still be there at its end.
  gateway = await startTestGateway({ GATEWAY_REQUEST_TIMEOUT_MS: '60000' });
});
afterAll(() => gateway?.close());

const timers = () => process.getActiveResourcesInfo().filter((kind) => kind === 'Timeout').length;
const QUERY = '{ quentliCustomers(first: 1) { edges { node { id } } } }';

describe('the request lifecycle (plugins/request-lifecycle.ts)', () => {
  it('clears each request deadline timer when its response is out', async () => {
    // Warm up: pools, keep-alive connections and their timers exist from here on.
    expect((await gateway.graphql(QUERY)).errors).toBeUndefined();
    const before = timers();
    const requests = 30;
    for (let i = 0; i < requests; i += 1) {
      const response = await gateway.graphql(QUERY);
      expect(response.errors).toBeUndefined();
    }
    expect(gateway.sandbox.quentli.requests.length).toBeGreaterThanOrEqual(requests);
    // Each of the 30 requests armed a 60 s deadline for its upstream call: left running, they
    // would all still be here. A few other timers (keep-alive, pools) may come and go.
    expect(timers() - before).toBeLessThan(5);
  });

  it("sends x-request-id with every answer, the caller's own when it sent a usable one", async () => {
    const own = await fetch(`${gateway.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-request-id': 'checkout-7f3a' },
      body: JSON.stringify({ query: QUERY }),
    });
    expect(own.headers.get('x-request-id')).toBe('checkout-7f3a');
    const fresh = await fetch(`${gateway.url}/readiness`);
    expect(fresh.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });
});
