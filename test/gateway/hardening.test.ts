import { getIntrospectionQuery } from 'graphql';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../support/gateway.ts';

let gateway: TestGateway;
const KEYS = { current: 'gk_current_9f8e7d', previous: 'gk_previous_1a2b3c' };

beforeAll(async () => {
  gateway = await startTestGateway({
    GATEWAY_ALLOW_ANONYMOUS: 'false',
    GATEWAY_API_KEYS: `${KEYS.current},${KEYS.previous}`,
  });
});
afterAll(() => gateway.close());
beforeEach(() => gateway.resetRequests());

const authorized = { authorization: `Bearer ${KEYS.current}` };
const upstreamCalls = () => gateway.sandbox.quentli.requests.length + gateway.sandbox.nxlink.requests.length;

describe('client authentication', () => {
  it.each([
    ['no key', {}],
    ['a wrong key', { authorization: 'Bearer gk_current_9f8e7e' }],
    ['a key without the Bearer scheme', { authorization: KEYS.current }],
  ])('answers %s with 401 and a GraphQL error body', async (_case, headers) => {
    const response = await gateway.graphql('{ customers(first: 1) { edges { cursor } } }', {}, headers);
    expect(response.status).toBe(401);
    expect(response.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(upstreamCalls()).toBe(0);
  });

  it('lets in every configured key, so keys can be rotated', async () => {
    for (const key of Object.values(KEYS)) {
      const response = await gateway.graphql(
        '{ customers(first: 1) { edges { cursor } } }',
        {},
        { authorization: `Bearer ${key}` },
      );
      expect(response.status).toBe(200);
      expect(response.errors).toBeUndefined();
    }
  });

  it('leaves liveness, readiness and the GraphiQL page open', async () => {
    expect((await fetch(`${gateway.url}/health`)).status).toBe(200);
    expect((await fetch(`${gateway.url}/readiness`)).status).toBe(200);
    const page = await fetch(`${gateway.url}/graphql`, { headers: { accept: 'text/html' } });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('GraphiQL');
  });
});

describe('hostile queries', () => {
  it('refuses a query 30 levels deep before any upstream call', async () => {
    const link = '... on QuentliCustomer { nxlinkProfile { quentliCustomer { ';
    const deep = `{ customers(first: 1) { edges { node { ${link.repeat(7)} id ${'} } } '.repeat(7)} } } } }`;
    const response = await gateway.graphql(deep, {}, authorized);
    expect(response.errors?.[0]?.message).toMatch(/depth/i);
    expect(response.errors?.map((error) => error.extensions?.code)).toEqual(['QUERY_TOO_DEEP']);
    expect(upstreamCalls()).toBe(0);
  });

  it('refuses 50 aliases of customers(first: 100) before any upstream call', async () => {
    const aliases = Array.from({ length: 50 }, (_, i) => `a${i}: customers(first: 100) { edges { node { id } } }`);
    const response = await gateway.graphql(`{ ${aliases.join(' ')} }`, {}, authorized);
    expect(response.errors?.[0]?.message).toMatch(/aliases/i);
    expect(upstreamCalls()).toBe(0);
  });

  it('refuses a query whose pages would cost too much, saying what to do', async () => {
    const fields =
      'id name email phoneNumber createdAt ... on QuentliCustomer { nxlinkProfile { id fullName tags { tagName } } }';
    const aliases = Array.from(
      { length: 10 },
      (_, i) => `a${i}: customers(first: 100) { edges { node { ${fields} } } }`,
    );
    const response = await gateway.graphql(`{ ${aliases.join(' ')} }`, {}, authorized);
    expect(response.errors?.[0]?.extensions?.code).toBe('QUERY_TOO_COMPLEX');
    expect(response.errors?.[0]?.message).toMatch(/smaller pages/);
    expect(upstreamCalls()).toBe(0);
  });

  it('counts the cost with the variables of each request: the same document passes with small pages, not with large ones', async () => {
    const fields = 'id name ... on QuentliCustomer { nxlinkProfile { id fullName tags { tagName } } }';
    const aliases = Array.from(
      { length: 10 },
      (_, i) => `a${i}: quentliCustomers(first: $size) { edges { node { ${fields} } } }`,
    );
    const document = `query Pages($size: Int) { ${aliases.join(' ')} }`;
    const small = await gateway.graphql(document, { size: 1 }, authorized);
    expect(small.errors).toBeUndefined();
    gateway.resetRequests();
    const large = await gateway.graphql(document, { size: 100 }, authorized);
    expect(large.errors?.[0]?.extensions?.code).toBe('QUERY_TOO_COMPLEX');
    expect(upstreamCalls()).toBe(0);
    const smallAgain = await gateway.graphql(document, { size: 1 }, authorized);
    expect(smallAgain.errors).toBeUndefined();
  });

  it('still answers a full page of customers with both cross-links', async () => {
    const response = await gateway.graphql(
      `{ customers(first: 100) { edges { node { id name email phoneNumber createdAt
          ... on QuentliCustomer { username nxlinkProfile { id fullName tags { tagName } } }
          ... on NxlinkCustomer { whatsappPhone quentliCustomer { id username } } } } } }`,
      {},
      authorized,
    );
    expect(response.errors).toBeUndefined();
    expect(response.data.customers.edges).toHaveLength(100);
  });

  it('never refuses the standard introspection query', async () => {
    const response = await gateway.graphql(
      getIntrospectionQuery({ descriptions: true, inputValueDeprecation: true }),
      {},
      authorized,
    );
    expect(response.errors).toBeUndefined();
    expect(response.data.__schema.queryType.name).toBe('Query');
  });

  it('refuses a body larger than 100 kB with 413', async () => {
    const response = await fetch(`${gateway.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...authorized },
      body: JSON.stringify({ query: `{ customers(first: 1) { edges { cursor } } } # ${'x'.repeat(120_000)}` }),
    });
    expect(response.status).toBe(413);
    expect(((await response.json()) as { errors: { message: string }[] }).errors[0]?.message).toMatch(/larger than/);
  });

  it('runs queries, not mutations, over GET', async () => {
    const query = encodeURIComponent('{ customers(first: 2) { edges { cursor } } }');
    const get = await fetch(`${gateway.url}/graphql?query=${query}`, {
      headers: { ...authorized, accept: 'application/json' },
    });
    expect(get.status).toBe(200);
    const mutation = encodeURIComponent('mutation { createCustomer(input: { name: "X" }) { customer { id } } }');
    const refused = await fetch(`${gateway.url}/graphql?query=${mutation}`, {
      headers: { ...authorized, accept: 'application/json' },
    });
    expect(refused.status).toBe(405);
    expect(gateway.sandbox.quentli.requests.filter((request) => request.method === 'POST')).toHaveLength(0);
  });
});

describe('errors', () => {
  it.each([
    ['a syntax error', '{ customers(first: 1) { edges { cursor } }', 'GRAPHQL_PARSE_FAILED'],
    ['an unknown field', '{ customers(first: 1) { nope } }', 'GRAPHQL_VALIDATION_FAILED'],
    ['a bad variable', 'query ($n: Int!) { customers(first: $n) { edges { cursor } } }', 'BAD_USER_INPUT'],
  ])('carry extensions.code for %s', async (_case, query, code) => {
    const response = await gateway.graphql(query, { n: 'ten' }, authorized);
    expect(response.errors?.map((error) => error.extensions?.code)).toEqual([code]);
  });

  it('mask upstream details: no URL, key or stack trace in a failure', async () => {
    gateway.sandbox.quentli.faults.set({ reset: true });
    try {
      const response = await gateway.graphql('{ quentliCustomers(first: 1) { edges { cursor } } }', {}, authorized);
      const text = JSON.stringify(response);
      expect(response.errors?.[0]?.extensions).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', source: 'QUENTLI' });
      expect(text).not.toContain(gateway.sandbox.quentli.url);
      expect(text).not.toContain('127.0.0.1');
      expect(text).not.toMatch(/\bat .*\.ts:\d+/);
      expect(text).not.toContain(gateway.config.quentli.apiKey);
    } finally {
      gateway.sandbox.quentli.faults.clear();
    }
  });
});

describe('production switches', () => {
  it('turn introspection and GraphiQL off', async () => {
    const locked = await startTestGateway({ GATEWAY_INTROSPECTION: 'false', GATEWAY_GRAPHIQL: 'false' });
    try {
      const response = await locked.graphql('{ __schema { queryType { name } } }');
      expect(response.errors?.[0]?.message).toMatch(/introspection/i);
      const page = await fetch(`${locked.url}/graphql`, { headers: { accept: 'text/html' } });
      expect(await page.text()).not.toContain('GraphiQL');
    } finally {
      await locked.close();
    }
  });
});

describe('cross-origin calls', () => {
  const preflight = (url: string, origin: string) =>
    fetch(`${url}/graphql`, {
      method: 'OPTIONS',
      headers: {
        origin,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization, content-type',
      },
    });

  it('are not allowed by default: no CORS headers for any origin', async () => {
    const response = await preflight(gateway.url, 'https://app.example.com');
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
    const query = await gateway.graphql('{ __typename }', {}, { ...authorized, origin: 'https://app.example.com' });
    expect(query.status).toBe(200);
  });

  it('are allowed from the origins in GATEWAY_CORS_ORIGINS only, without credentials mode', async () => {
    const open = await startTestGateway({ GATEWAY_CORS_ORIGINS: 'https://app.example.com,https://admin.example.com' });
    try {
      const allowed = await preflight(open.url, 'https://admin.example.com');
      expect(allowed.headers.get('access-control-allow-origin')).toBe('https://admin.example.com');
      expect(allowed.headers.get('access-control-allow-headers')).toContain('authorization');
      expect(allowed.headers.get('access-control-allow-credentials')).toBeNull();
      const other = await preflight(open.url, 'https://evil.example.net');
      expect(other.headers.get('access-control-allow-origin')).toBe('null');
    } finally {
      await open.close();
    }
  });
});
