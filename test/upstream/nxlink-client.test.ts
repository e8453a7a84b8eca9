import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.ts';
import type { NxlinkClient } from '../../src/upstream/clients.ts';
import { createNxlinkClient } from '../../src/upstream/nxlink/client.ts';
import { signNxlinkRequest } from '../../src/upstream/nxlink/sign.ts';
import { fromNxlinkTime } from '../../src/upstream/nxlink/time.ts';
import { closedPort, NXLINK, upstreamFailure, singleAttempt } from './helpers.ts';

const TIMEOUT_MS = 400;
const TWO_POW_53 = 2n ** 53n;

let sandbox: Sandbox;
let client: NxlinkClient;

function clientWith(overrides: Partial<typeof NXLINK> = {}, now?: () => number): NxlinkClient {
  return createNxlinkClient(
    { baseUrl: sandbox.nxlink.url, ...NXLINK, ...overrides },
    { timeoutMs: TIMEOUT_MS, policy: singleAttempt('NXLINK'), ...(now === undefined ? {} : { now }) },
  );
}

beforeAll(async () => {
  sandbox = await startSandbox({ quentliApiKey: 'sk_unused_here', nxlink: NXLINK, customersPerSource: 60 });
  client = clientWith();
});

afterEach(() => {
  sandbox.nxlink.faults.clear();
  sandbox.nxlink.resetRequests();
});

afterAll(async () => {
  await client?.close();
  await sandbox?.close();
});

function lastRequest() {
  const request = sandbox.nxlink.requests.at(-1);
  if (request === undefined) throw new Error('the sandbox received no request');
  return request;
}

describe('querying NXLink customers', () => {
  it('answers a validated page, newest first, with 64-bit ids as exact digits', async () => {
    const page = await client.queryCustomers({ limit: 5 });
    expect(page.customers).toHaveLength(5);
    const ids = page.customers.map((customer) => BigInt(customer.id));
    for (const id of ids) expect(id).toBeGreaterThan(TWO_POW_53);
    expect([...ids].sort((a, b) => (a > b ? -1 : 1))).toEqual(ids);
    for (const customer of page.customers) {
      expect(customer.tenantId).toBe('9007199254740993');
      expect(customer.createdAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    }
    expect(page.paging).toMatchObject({ before: page.customers[0]!.id, after: page.customers[4]!.id, previous: null });
  });

  it('carries every id digit-exact, as the sandbox holds it', async () => {
    const page = await client.queryCustomers({ limit: 10 });
    const held = sandbox.nxlink.store.all().slice(0, 10);
    expect(page.customers.map((customer) => customer.id)).toEqual(held.map((customer) => customer.id.toString()));
    expect(page.customers.flatMap((c) => c.tags.map((tag) => tag.tagId))).toEqual(
      held.flatMap((c) => c.tags.map((tag) => tag.id.toString())),
    );
  });

  it('reads created_at in the configured zone', async () => {
    const page = await client.queryCustomers({ limit: 3 });
    const held = sandbox.nxlink.store.all().slice(0, 3);
    expect(page.customers.map((customer) => customer.createdAt)).toEqual(
      held.map((customer) => fromNxlinkTime(customer.created_at, NXLINK.timeZone)),
    );
  });

  it('sends tenant_id and the cursor back as bare 64-bit integers, digit-exact', async () => {
    const first = await client.queryCustomers({ limit: 5 });
    const after = first.paging.after!;
    expect(BigInt(after)).toBeGreaterThan(TWO_POW_53);
    const second = await client.queryCustomers({ limit: 5, after });
    const body = lastRequest().body;
    expect(body).toContain(`"after":${after}`);
    expect(body).toContain('"tenant_id":9007199254740993');
    expect(body).toBe(`{"tenant_id":9007199254740993,"app_key":"${NXLINK.appKey}","limit":5,"after":${after}}`);
    expect(second.customers[0]!.id).toBe(first.paging.next);
    for (const customer of second.customers) expect(BigInt(customer.id)).toBeLessThan(BigInt(after));
    expect(second.paging.previous).toBe(first.customers[0]!.id);
  });

  it('goes back with before = paging.before', async () => {
    const first = await client.queryCustomers({ limit: 4 });
    const second = await client.queryCustomers({ limit: 4, after: first.paging.after! });
    const back = await client.queryCustomers({ limit: 4, before: second.paging.before! });
    expect(back.customers.map((customer) => customer.id)).toEqual(first.customers.map((customer) => customer.id));
  });

  it('signs the exact body with the four headers and never sends the secret', async () => {
    const before = Date.now();
    await client.queryCustomers({ limit: 2 });
    const { headers, body } = lastRequest();
    expect(headers).toMatchObject({ accesskey: NXLINK.accessKey, biztype: '2', action: 'mt' });
    expect(Number(headers.ts)).toBeGreaterThanOrEqual(before);
    expect(Number(headers.ts)).toBeLessThanOrEqual(Date.now());
    const expected = signNxlinkRequest({ ...NXLINK, ts: headers.ts!, bizType: '2', action: 'mt', body });
    expect(headers.sign).toBe(expected.sign);
    expect(JSON.stringify(headers) + body).not.toContain(NXLINK.accessSecret);
  });

  it('maps every optional filter to its wire name', async () => {
    await client.queryCustomers({
      limit: 3,
      name: 'ana',
      email: 'ana@example.com',
      whatsappPhone: '525512345678',
      smsPhone: '525512345679',
      viberPhone: '525512345670',
      startTime: '2024-07-19T00:00:00Z',
      endTime: '2024-07-20T00:00:00.000Z',
      tags: [{ id: '9007199254740993', tagName: 'vip' }],
      hisTags: [{ id: '27237', tagName: 'test' }],
      tagsLogicType: 'and',
      sourceType: 3,
      sourceChannelKey: 'web',
    });
    expect(lastRequest().body).toBe(
      `{"tenant_id":9007199254740993,"app_key":"${NXLINK.appKey}","limit":3,"name":"ana","email":"ana@example.com",` +
        '"whatsApp_phone":"525512345678","sms_phone":"525512345679","viber_phone":"525512345670",' +
        '"start_time":"2024-07-18 18:00:00","end_time":"2024-07-19 18:00:00",' +
        '"tags":[{"id":9007199254740993,"tag_name":"vip"}],"his_tags":[{"id":27237,"tag_name":"test"}],' +
        '"tags_logic_type":"and","source_type":3,"source_channel_key":"web"}',
    );
  });

  it('finds a customer again by WhatsApp phone', async () => {
    const inserted = sandbox.nxlink.store.insert({ whatsApp_phone: '5215598765432', email: 'ins@example.com' });
    const page = await client.queryCustomers({ limit: 10, whatsappPhone: '5215598765432' });
    expect(page.customers.map((customer) => customer.id)).toEqual([inserted.id.toString()]);
    expect(page.customers[0]).toMatchObject({ whatsappPhone: '5215598765432', email: 'ins@example.com' });
  });

  it('refuses a cursor that is not a 64-bit integer before calling NXLink', async () => {
    const error = await upstreamFailure(client.queryCustomers({ limit: 5, after: '12ab' }));
    expect(error).toMatchObject({ source: 'NXLINK', code: 'UPSTREAM_REJECTED' });
    expect(error.message).toContain('after');
    expect(sandbox.nxlink.requests).toHaveLength(0);
  });

  it('refuses a time range that is not made of instants before calling NXLink', async () => {
    const error = await upstreamFailure(client.queryCustomers({ limit: 5, startTime: '2024-07-19 00:00:00' }));
    expect(error).toMatchObject({ source: 'NXLINK', code: 'UPSTREAM_REJECTED' });
    expect(error.message).toContain('startTime');
    expect(sandbox.nxlink.requests).toHaveLength(0);
  });

  it("turns code 400 into UPSTREAM_REJECTED with NXLink's reason", async () => {
    const error = await upstreamFailure(client.queryCustomers({ limit: 51 }));
    expect(error).toMatchObject({ source: 'NXLINK', code: 'UPSTREAM_REJECTED', status: 400 });
    expect(error.message).toContain('limit');
  });
});

describe('NXLink authentication failures', () => {
  it('reports a wrong secret as UPSTREAM_AUTH (code 401) without the secret or the sign', async () => {
    const wrongSecret = 'wrong-secret-0c4a';
    const wrong = clientWith({ accessSecret: wrongSecret });
    try {
      const error = await upstreamFailure(wrong.queryCustomers({ limit: 1 }), [wrongSecret]);
      expect(error).toMatchObject({ source: 'NXLINK', code: 'UPSTREAM_AUTH', status: 401 });
      expect(error.message).not.toContain(lastRequest().headers.sign!);
      expect(error.message).toContain('NXLINK_ACCESS_SECRET');
    } finally {
      await wrong.close();
    }
  });

  it('reports a refused timestamp (code 402) as UPSTREAM_AUTH that points at the clock', async () => {
    const skewed = clientWith({}, () => Date.now() - 120_000);
    try {
      const error = await upstreamFailure(skewed.queryCustomers({ limit: 1 }));
      expect(error).toMatchObject({ code: 'UPSTREAM_AUTH', status: 402 });
      expect(error.message).toMatch(/clock/);
    } finally {
      await skewed.close();
    }
  });
});

describe('NXLink outages and bad answers', () => {
  it('reports code 500 as UPSTREAM_UNAVAILABLE with status 500', async () => {
    sandbox.nxlink.faults.set({ nxlinkCode: 500, times: 1 });
    const error = await upstreamFailure(client.queryCustomers({ limit: 1 }));
    expect(error).toMatchObject({ source: 'NXLINK', code: 'UPSTREAM_UNAVAILABLE', status: 500 });
  });

  it('reports code 429 as UPSTREAM_RATE_LIMITED', async () => {
    sandbox.nxlink.faults.set({ nxlinkCode: 429, times: 1 });
    const error = await upstreamFailure(client.queryCustomers({ limit: 1 }));
    expect(error).toMatchObject({ code: 'UPSTREAM_RATE_LIMITED', status: 429 });
  });

  it('reports HTTP 429 as UPSTREAM_RATE_LIMITED with Retry-After', async () => {
    sandbox.nxlink.faults.set({ status: 429, retryAfterSeconds: 2, times: 1 });
    const error = await upstreamFailure(client.queryCustomers({ limit: 1 }));
    expect(error).toMatchObject({ code: 'UPSTREAM_RATE_LIMITED', status: 429, retryAfterMs: 2_000 });
  });

  it('reports an HTTP 503 from the load balancer as UPSTREAM_UNAVAILABLE', async () => {
    sandbox.nxlink.faults.set({ status: 503, times: 1 });
    const error = await upstreamFailure(client.queryCustomers({ limit: 1 }));
    expect(error).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', status: 503 });
  });

  it('reports a truncated body as UPSTREAM_BAD_RESPONSE', async () => {
    sandbox.nxlink.faults.set({ malformed: true, times: 1 });
    const error = await upstreamFailure(client.queryCustomers({ limit: 1 }));
    expect(error).toMatchObject({ source: 'NXLINK', code: 'UPSTREAM_BAD_RESPONSE' });
  });

  it('gives up after the timeout with UPSTREAM_TIMEOUT', async () => {
    sandbox.nxlink.faults.set({ latencyMs: 5_000, times: 1 });
    const started = Date.now();
    const error = await upstreamFailure(client.queryCustomers({ limit: 1 }));
    expect(error).toMatchObject({ source: 'NXLINK', code: 'UPSTREAM_TIMEOUT' });
    expect(Date.now() - started).toBeLessThan(TIMEOUT_MS + 1_000);
  });

  it('reports a reset connection as UPSTREAM_UNAVAILABLE', async () => {
    sandbox.nxlink.faults.set({ reset: true, times: 1 });
    const error = await upstreamFailure(client.queryCustomers({ limit: 1 }));
    expect(error).toMatchObject({ source: 'NXLINK', code: 'UPSTREAM_UNAVAILABLE' });
  });

  it('reports a refused connection as UPSTREAM_UNAVAILABLE', async () => {
    const port = await closedPort();
    const down = createNxlinkClient(
      { ...NXLINK, baseUrl: `http://127.0.0.1:${port}` },
      { timeoutMs: TIMEOUT_MS, policy: singleAttempt('NXLINK') },
    );
    try {
      const error = await upstreamFailure(down.queryCustomers({ limit: 1 }));
      expect(error.code).toBe('UPSTREAM_UNAVAILABLE');
    } finally {
      await down.close();
    }
  });

  it('signs each call afresh, so a call after a failure succeeds', async () => {
    sandbox.nxlink.faults.set({ nxlinkCode: 500, times: 1 });
    await upstreamFailure(client.queryCustomers({ limit: 1 }));
    await expect(client.queryCustomers({ limit: 1 })).resolves.toMatchObject({ customers: [expect.anything()] });
  });
});
