import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.ts';
import type { QuentliClient } from '../../src/upstream/clients.ts';
import { createQuentliClient, DOCUMENTED_ENCODING } from '../../src/upstream/quentli/client.ts';
import { encodeListQuery } from '../../src/upstream/quentli/filter.ts';
import type { QuentliCreateInput } from '../../src/upstream/quentli/records.ts';
import { closedPort, NXLINK, QUENTLI_KEY, upstreamFailure, singleAttempt } from './helpers.ts';

const TIMEOUT_MS = 400;

let sandbox: Sandbox;
let client: QuentliClient;

beforeAll(async () => {
  sandbox = await startSandbox({ quentliApiKey: QUENTLI_KEY, nxlink: NXLINK, customersPerSource: 60 });
  client = createQuentliClient(
    { baseUrl: sandbox.quentli.url, apiKey: QUENTLI_KEY },
    { timeoutMs: TIMEOUT_MS, policy: singleAttempt('QUENTLI') },
  );
});

afterEach(() => {
  sandbox.quentli.faults.clear();
  sandbox.quentli.resetRequests();
});

afterAll(async () => {
  await client?.close();
  await sandbox?.close();
});

function lastRequest() {
  const request = sandbox.quentli.requests.at(-1);
  if (request === undefined) throw new Error('the sandbox received no request');
  return request;
}

let unique = 0;
function newCustomer(overrides: Partial<QuentliCreateInput> = {}): QuentliCreateInput {
  unique += 1;
  const tag = `${Date.now().toString(36)}${unique}`;
  return {
    name: `Prueba Cliente ${tag}`,
    username: `prueba_${tag}`,
    email: `prueba.${tag}@example.com`,
    phoneNumber: `+5255${String(10_000_000 + unique).slice(-8)}`,
    ...overrides,
  };
}

describe('listing Quentli customers', () => {
  it('answers validated records and authenticates with the Bearer key', async () => {
    const customers = await client.listCustomers({ limit: 5 });
    expect(customers).toHaveLength(5);
    for (const customer of customers) {
      expect(customer.id).toMatch(/^c[a-z0-9]+$/);
      expect(customer.createdAt).toMatch(/Z$/);
      expect(Array.isArray(customer.metadata)).toBe(true);
    }
    const request = lastRequest();
    expect(request.method).toBe('GET');
    expect(request.path).toBe('/v1/customers');
    expect(request.query).toBe('limit=5');
    expect(request.headers.authorization).toBe(`Bearer ${QUENTLI_KEY}`);
  });

  it('sends the id filter as one qs-encoded parameter, and the sandbox applies it', async () => {
    const [first, second] = await client.listCustomers({ limit: 2 });
    const ids = [first!.id, second!.id];
    const params = { filter: { id: { in: ids } }, limit: 10 };
    const found = await client.listCustomers(params);
    expect(found.map((customer) => customer.id).sort()).toEqual([...ids].sort());
    expect(lastRequest().query).toBe(encodeListQuery(params, DOCUMENTED_ENCODING));
    expect(new URLSearchParams(lastRequest().query).get('filter')).toBe(`id[in][0]=${ids[0]}&id[in][1]=${ids[1]}`);
  });

  it('sends one order key as one qs-encoded object, as the page documents, and the sandbox sorts by it', async () => {
    const params = { orderBy: [{ createdAt: 'asc' as const }], offset: 1, limit: 10 };
    const customers = await client.listCustomers(params);
    expect(lastRequest().query).toBe('orderBy=createdAt%3Dasc&offset=1&limit=10');
    const times = customers.map((customer) => customer.createdAt);
    expect(times).toEqual([...times].sort());
  });

  it('sends one order key as the value of orderBy, and the sandbox sorts by it', async () => {
    const customers = await client.listCustomers({ orderBy: [{ createdAt: 'asc' }], limit: 10 });
    expect(lastRequest().query).toBe('orderBy=createdAt%3Dasc&limit=10');
    const times = customers.map((customer) => customer.createdAt);
    expect(times).toEqual([...times].sort());
  });

  it('finds customers by a case-insensitive contains filter combined with OR', async () => {
    const [sample] = await client.listCustomers({ limit: 1, filter: { name: { not: null } } });
    const word = sample!.name!.split(' ')[0]!.toUpperCase();
    const found = await client.listCustomers({
      filter: { OR: [{ name: { contains: word, mode: 'insensitive' } }, { id: sample!.id }] },
      limit: 100,
    });
    expect(found.map((customer) => customer.id)).toContain(sample!.id);
    for (const customer of found) expect(customer.name?.toUpperCase()).toContain(word);
  });

  it("turns a 400 for a bad parameter into UPSTREAM_REJECTED with Quentli's message", async () => {
    const error = await upstreamFailure(client.listCustomers({ limit: 500 }));
    expect(error).toMatchObject({
      source: 'QUENTLI',
      code: 'UPSTREAM_REJECTED',
      status: 400,
      upstreamCode: 'BAD_REQUEST',
    });
    expect(error.message).toMatch(/limit/);
  });
});

describe('creating a Quentli customer', () => {
  it('posts {"input": ...} and answers the created record', async () => {
    const input = newCustomer({ metadata: [{ key: 'studentId', value: 'A-1029' }], tags: ['VIP'] });
    const customer = await client.createCustomer(input);
    expect(customer).toMatchObject({ name: input.name, username: input.username, email: input.email });
    expect(customer.metadata).toEqual([{ key: 'studentId', value: 'A-1029' }]);
    const request = lastRequest();
    expect(request.method).toBe('POST');
    expect(request.headers['content-type']).toBe('application/json');
    expect(JSON.parse(request.body)).toEqual({ input });
  });

  it('never forwards a gateway-only field such as clientMutationId', async () => {
    const input = { ...newCustomer(), clientMutationId: 'm1' };
    await client.createCustomer(input);
    expect(JSON.parse(lastRequest().body).input).not.toHaveProperty('clientMutationId');
  });

  it('turns a 409 for a taken email into UPSTREAM_REJECTED with the code and field details', async () => {
    const taken = await client.createCustomer(newCustomer());
    const error = await upstreamFailure(client.createCustomer(newCustomer({ email: taken.email })));
    expect(error).toMatchObject({
      source: 'QUENTLI',
      code: 'UPSTREAM_REJECTED',
      status: 409,
      upstreamCode: 'CONFLICT',
    });
    expect(error.details).toEqual([{ path: ['input', 'email'], message: expect.any(String) }]);
    expect(error.message).toBe('email is already taken by another customer');
  });

  it('turns a 422 into UPSTREAM_REJECTED carrying each detail path and message', async () => {
    const error = await upstreamFailure(
      client.createCustomer(newCustomer({ email: 'not-an-email', phoneNumber: '5512' })),
    );
    expect(error).toMatchObject({ code: 'UPSTREAM_REJECTED', status: 422, upstreamCode: 'VALIDATION_ERROR' });
    expect(error.details.map((detail) => detail.path)).toEqual(
      expect.arrayContaining([
        ['input', 'email'],
        ['input', 'phoneNumber'],
      ]),
    );
  });
});

describe('updating a Quentli customer', () => {
  it('patches {"input": {"data", "otp"}} and keeps explicit nulls', async () => {
    const created = await client.createCustomer(newCustomer({ secondaryPhoneNumber: '+525598765432' }));
    const updated = await client.updateCustomer(created.id, {
      data: { name: 'Nombre Nuevo', secondaryPhoneNumber: null },
      otp: '123456',
    });
    expect(updated).toMatchObject({ id: created.id, name: 'Nombre Nuevo', secondaryPhoneNumber: null });
    const request = lastRequest();
    expect(request.method).toBe('PATCH');
    expect(request.path).toBe(`/v1/customers/${created.id}`);
    expect(JSON.parse(request.body)).toEqual({
      input: { data: { name: 'Nombre Nuevo', secondaryPhoneNumber: null }, otp: '123456' },
    });
  });

  it('leaves otp out when it is not given', async () => {
    const created = await client.createCustomer(newCustomer());
    await client.updateCustomer(created.id, { data: { replyWithAssistant: true } });
    expect(JSON.parse(lastRequest().body)).toEqual({ input: { data: { replyWithAssistant: true } } });
  });

  it('percent-encodes the id and turns 404 into UPSTREAM_REJECTED NOT_FOUND', async () => {
    const error = await upstreamFailure(client.updateCustomer('no such/id', { data: { name: 'X' } }));
    expect(error).toMatchObject({ code: 'UPSTREAM_REJECTED', status: 404, upstreamCode: 'NOT_FOUND' });
    expect(lastRequest().path).toBe('/v1/customers/no%20such%2Fid');
  });
});

describe('Quentli failures', () => {
  it('reports a wrong API key as UPSTREAM_AUTH without echoing the key', async () => {
    const wrongKey = 'sk_wrong_key_5d1e';
    const wrong = createQuentliClient(
      { baseUrl: sandbox.quentli.url, apiKey: wrongKey },
      { timeoutMs: TIMEOUT_MS, policy: singleAttempt('QUENTLI') },
    );
    try {
      const error = await upstreamFailure(wrong.listCustomers({ limit: 1 }), [wrongKey]);
      expect(error).toMatchObject({ source: 'QUENTLI', code: 'UPSTREAM_AUTH', status: 401 });
      expect(error.message).toContain('QUENTLI_API_KEY');
    } finally {
      await wrong.close();
    }
  });

  it('gives up after the timeout with UPSTREAM_TIMEOUT, long before the upstream answers', async () => {
    sandbox.quentli.faults.set({ latencyMs: 5_000, times: 1 });
    const started = Date.now();
    const error = await upstreamFailure(client.listCustomers({ limit: 1 }));
    expect(error).toMatchObject({ source: 'QUENTLI', code: 'UPSTREAM_TIMEOUT' });
    expect(error.message).toContain(`${TIMEOUT_MS} ms`);
    expect(Date.now() - started).toBeLessThan(TIMEOUT_MS + 1_000);
  });

  it('reports a caller abort as UPSTREAM_TIMEOUT without waiting for the upstream', async () => {
    sandbox.quentli.faults.set({ latencyMs: 5_000, times: 1 });
    const started = Date.now();
    const caller = new AbortController();
    setTimeout(() => caller.abort(), 50);
    const error = await upstreamFailure(client.listCustomers({ limit: 1 }, { signal: caller.signal }));
    expect(error.code).toBe('UPSTREAM_TIMEOUT');
    // The message tells the abort from the 400 ms attempt timeout; the time only that the 5 s
    // upstream was not waited for (with room for a loaded machine).
    expect(error.message).toContain('cancelled by the caller');
    expect(Date.now() - started).toBeLessThan(4_000);
  });

  it('reports a reset connection as UPSTREAM_UNAVAILABLE', async () => {
    sandbox.quentli.faults.set({ reset: true, times: 1 });
    const error = await upstreamFailure(client.listCustomers({ limit: 1 }));
    expect(error).toMatchObject({ source: 'QUENTLI', code: 'UPSTREAM_UNAVAILABLE' });
  });

  it('recovers on the next call after a reset', async () => {
    sandbox.quentli.faults.set({ reset: true, times: 1 });
    await upstreamFailure(client.listCustomers({ limit: 1 }));
    await expect(client.listCustomers({ limit: 1 })).resolves.toHaveLength(1);
  });

  it('reports a refused connection as UPSTREAM_UNAVAILABLE', async () => {
    const port = await closedPort();
    const down = createQuentliClient(
      { baseUrl: `http://127.0.0.1:${port}`, apiKey: QUENTLI_KEY },
      { timeoutMs: TIMEOUT_MS, policy: singleAttempt('QUENTLI') },
    );
    try {
      const error = await upstreamFailure(down.listCustomers({ limit: 1 }));
      expect(error.code).toBe('UPSTREAM_UNAVAILABLE');
      expect(error.message).not.toContain(String(port));
    } finally {
      await down.close();
    }
  });

  it('reports a body that is not JSON as UPSTREAM_BAD_RESPONSE', async () => {
    sandbox.quentli.faults.set({ malformed: true, times: 1 });
    const error = await upstreamFailure(client.listCustomers({ limit: 1 }));
    expect(error).toMatchObject({ source: 'QUENTLI', code: 'UPSTREAM_BAD_RESPONSE' });
    expect(error.message).toContain('not JSON');
  });

  it('reports 429 as UPSTREAM_RATE_LIMITED with Retry-After in milliseconds', async () => {
    sandbox.quentli.faults.set({ status: 429, retryAfterSeconds: 3, times: 1 });
    const error = await upstreamFailure(client.listCustomers({ limit: 1 }));
    expect(error).toMatchObject({ code: 'UPSTREAM_RATE_LIMITED', status: 429, retryAfterMs: 3_000 });
  });

  it('reports a 5xx as UPSTREAM_UNAVAILABLE', async () => {
    sandbox.quentli.faults.set({ status: 503, times: 1 });
    const error = await upstreamFailure(client.createCustomer(newCustomer()));
    expect(error).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', status: 503 });
  });

  it('sends a write exactly once even when it fails', async () => {
    sandbox.quentli.faults.set({ status: 503, times: 1, methods: ['POST'] });
    await upstreamFailure(client.createCustomer(newCustomer()));
    expect(sandbox.quentli.requests.filter((request) => request.method === 'POST')).toHaveLength(1);
  });
});
