import { once } from 'node:events';
import { connect } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../support/gateway.ts';
import { REDIS_SERVER, redisAvailable, startTestRedis, type TestRedis } from '../support/redis.ts';

/**
 * The gateway probed as an attacker would: a production configuration (keys required,
 * introspection and GraphiQL off by default), a sandbox-mode gateway with keys and GraphiQL, and
 * an anonymous sandbox-mode gateway.
 */
const KEY = 'gk_security_5e4d3c2b1a';
const authorized = { authorization: `Bearer ${KEY}` };
const DATA_QUERY = '{ customers(first: 2) { edges { node { name email phoneNumber } } } }';
const DATA_URL = `/graphql?query=${encodeURIComponent(DATA_QUERY)}`;

let sandbox: TestGateway; // anonymous, GraphiQL on: also the upstreams of the others
let production: TestGateway; // keys required, introspection and GraphiQL off (the defaults)
let withGraphiQL: TestGateway; // keys required, GraphiQL on

beforeAll(async () => {
  sandbox = await startTestGateway({ GATEWAY_RATE_LIMIT: '0' });
  const keyed = { GATEWAY_ALLOW_ANONYMOUS: 'false', GATEWAY_API_KEYS: KEY, GATEWAY_RATE_LIMIT: '0' };
  production = await startTestGateway(keyed, { upstreamsOf: sandbox });
  withGraphiQL = await startTestGateway(
    { ...keyed, GATEWAY_GRAPHIQL: 'true', GATEWAY_INTROSPECTION: 'true' },
    { upstreamsOf: sandbox },
  );
});
afterAll(async () => {
  await withGraphiQL?.close();
  await production?.close();
  await sandbox?.close();
});
beforeEach(() => sandbox.resetRequests());

const upstreamCalls = () => sandbox.sandbox.quentli.requests.length + sandbox.sandbox.nxlink.requests.length;

/** Accept headers, and whether each prefers HTML to every GraphQL response type. */
const ACCEPT_HEADERS: [string, boolean][] = [
  ['text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8', true], // a browser
  ['text/html', true],
  ['TEXT/HTML', true],
  ['application/json, text/html', false], // the reported bypass
  ['text/html, application/json', true], // a tie: the client's first choice wins
  ['text/html;q=0.9, application/json', false],
  ['application/json;q=0.1, text/html', true],
  ['application/graphql-response+json, text/html;q=0.5', false],
  ['text/*', false], // text/event-stream matches as well as HTML
  ['*/*', false],
  ['multipart/mixed, text/html;q=0.1', false],
  ['text/event-stream', false],
  ['image/png', false],
  ['not a media type;;;', false],
  ['', false],
];

interface Probe {
  method: string;
  path: string;
  body?: string;
  contentType?: string;
}

const ROUTES: Probe[] = [
  { method: 'GET', path: DATA_URL },
  { method: 'HEAD', path: DATA_URL },
  { method: 'GET', path: '/graphql' },
  { method: 'GET', path: '/graphql/' },
  { method: 'POST', path: '/graphql', body: JSON.stringify({ query: DATA_QUERY }), contentType: 'application/json' },
  { method: 'GET', path: '/metrics' },
  { method: 'GET', path: '/' },
  { method: 'GET', path: '/nowhere' },
  { method: 'POST', path: '/readiness', body: '{}', contentType: 'application/json' },
  { method: 'DELETE', path: '/graphql' },
];

async function send(
  gateway: TestGateway,
  probe: Probe,
  headers: Record<string, string>,
): Promise<{ status: number; type: string; text: string }> {
  const response = await fetch(`${gateway.url}${probe.path}`, {
    method: probe.method,
    headers: { ...(probe.contentType === undefined ? {} : { 'content-type': probe.contentType }), ...headers },
    ...(probe.body === undefined ? {} : { body: probe.body }),
  });
  return { status: response.status, type: response.headers.get('content-type') ?? '', text: await response.text() };
}

/** What no answer without a key may hold: any customer field of the query above. */
function expectNoData(text: string): void {
  expect(text).not.toMatch(/"(edges|name|email|phoneNumber)"/);
  expect(text).not.toMatch(/gateway_|graphql_yoga_http/); // metrics
}

describe('the key decision: every request that can return data needs a key', () => {
  it.each(ACCEPT_HEADERS)(
    'refuses every route with Accept %j on a production gateway, before any upstream call',
    async (accept) => {
      for (const route of ROUTES) {
        const answer = await send(production, route, accept === '' ? {} : { accept });
        expect({ route: `${route.method} ${route.path}`, status: answer.status }).toEqual({
          route: `${route.method} ${route.path}`,
          status: 401,
        });
        expectNoData(answer.text);
      }
      expect(upstreamCalls()).toBe(0);
    },
  );

  // The page as a browser asks for it, fetched once for every Accept header below (it is large).
  let reference: Promise<string> | undefined;
  const graphiqlPage = () =>
    (reference ??= fetch(`${withGraphiQL.url}/graphql`, { headers: { accept: 'text/html' } }).then((response) =>
      response.text(),
    ));

  it.each(ACCEPT_HEADERS)(
    'with GraphiQL on, serves Accept %j either the data-free page or a 401, and runs nothing',
    async (accept, prefersHtml) => {
      const page = await graphiqlPage();
      for (const route of ROUTES) {
        const answer = await send(withGraphiQL, route, accept === '' ? {} : { accept });
        const isPage =
          prefersHtml &&
          route.method === 'GET' &&
          route.path.startsWith('/graphql') &&
          !route.path.startsWith('/graphql/');
        expect({ route: `${route.method} ${route.path}`, status: answer.status }).toEqual({
          route: `${route.method} ${route.path}`,
          status: isPage ? 200 : 401,
        });
        if (isPage) {
          // The same static page whatever the request asked: it cannot hold an answer.
          expect(answer.type).toMatch(/^text\/html/);
          expect(answer.text).toBe(page);
        } else {
          expectNoData(answer.text);
        }
      }
      expect(upstreamCalls()).toBe(0);
    },
  );

  it('refuses the reported bypass (GET with Accept "application/json, text/html") with 401, and never calls an upstream', async () => {
    const response = await fetch(`${production.url}${DATA_URL}`, {
      headers: { accept: 'application/json, text/html' },
    });
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({
      errors: [
        {
          message: 'A gateway key is required: send `Authorization: Bearer <key>`.',
          extensions: { code: 'UNAUTHENTICATED' },
        },
      ],
    });
    expect(upstreamCalls()).toBe(0);
  });

  it('tells a wrong key apart from a missing one', async () => {
    const wrong = await send(production, ROUTES[4]!, { authorization: 'Bearer gk_security_5e4d3c2b1b' });
    expect(wrong.status).toBe(401);
    expect(JSON.parse(wrong.text).errors[0].message).toMatch(/not valid/);
  });

  it('answers the probes without a key, and nothing else on their paths', async () => {
    for (const path of ['/health', '/readiness']) {
      expect((await fetch(`${production.url}${path}`)).status).toBe(200);
      expect((await fetch(`${production.url}${path}`, { method: 'HEAD' })).status).toBe(200);
    }
    expect(upstreamCalls()).toBe(0);
  });

  it('with the key: queries by GET and POST, and metrics, answer', async () => {
    const get = await send(production, ROUTES[0]!, { ...authorized, accept: 'application/json' });
    expect(get.status).toBe(200);
    expect(JSON.parse(get.text).data.customers.edges).toHaveLength(2);
    const metrics = await send(production, { method: 'GET', path: '/metrics' }, authorized);
    expect(metrics.status).toBe(200);
    expect(metrics.text).toContain('gateway_graphql_operations_total');
  });

  it('serves the GraphiQL page from memory, compressed where the browser accepts it, and the same page every time', async () => {
    const load = (encoding: string) =>
      fetch(`${withGraphiQL.url}/graphql`, { headers: { accept: 'text/html', 'accept-encoding': encoding } });
    const [plain, gzip, brotli] = await Promise.all([load('identity'), load('gzip'), load('br, gzip')]);
    expect([
      plain.headers.get('content-encoding'),
      gzip.headers.get('content-encoding'),
      brotli.headers.get('content-encoding'),
    ]).toEqual([null, 'gzip', 'br']);
    // fetch decompresses: all three are the same page.
    const [a, b, c] = await Promise.all([plain.text(), gzip.text(), brotli.text()]);
    expect(a).toContain('GraphiQL');
    expect(b).toBe(a);
    expect(c).toBe(a);
    expect(a).toContain('Bearer <your gateway key>');
  });
});

describe('cross-site requests in anonymous mode', () => {
  const CREATE = 'mutation { createCustomer(input: { name: "Mallory Forged" }) { customer { id } } }';

  it.each([
    [
      'a form (application/x-www-form-urlencoded)',
      'application/x-www-form-urlencoded',
      `query=${encodeURIComponent(CREATE)}`,
    ],
    [
      'a multipart form',
      'multipart/form-data; boundary=x',
      `--x\r\nContent-Disposition: form-data; name="query"\r\n\r\n${CREATE}\r\n--x--\r\n`,
    ],
    ['a text/plain form', 'text/plain', JSON.stringify({ query: CREATE })],
    ['an application/graphql body', 'application/graphql', CREATE],
  ])('refuses %s with 415 and writes nothing', async (_what, contentType, body) => {
    const answer = await send(sandbox, { method: 'POST', path: '/graphql', body, contentType }, {});
    expect(answer.status).toBe(415);
    expect(JSON.parse(answer.text).errors[0].extensions.code).toBe('BAD_REQUEST');
    expect(sandbox.sandbox.quentli.requests).toHaveLength(0);
  });

  it('refuses a body without a Content-Type', async () => {
    const response = await fetch(`${sandbox.url}/graphql`, {
      method: 'POST',
      body: new Blob([JSON.stringify({ query: CREATE })]),
    });
    expect(response.status).toBe(415);
    expect(sandbox.sandbox.quentli.requests).toHaveLength(0);
  });

  it('never runs a mutation sent by GET', async () => {
    const response = await fetch(`${sandbox.url}/graphql?query=${encodeURIComponent(CREATE)}`, {
      headers: { accept: 'application/json' },
    });
    expect(response.status).toBe(405);
    expect(sandbox.sandbox.quentli.requests).toHaveLength(0);
  });
});

describe('bounded fan-out', () => {
  const quentliId = (n: number) =>
    Buffer.from(`QuentliCustomer:cmfanout${String(n).padStart(8, '0')}`).toString('base64');
  const document = (aliases: number) =>
    `query Many($ids: [ID!]!) { ${Array.from(
      { length: aliases },
      (_, i) => `a${i}: nodes(ids: $ids) { id ... on QuentliCustomer { nxlinkProfile { id tags { tagName } } } }`,
    ).join(' ')} }`;

  it('refuses more than 100 ids in nodes, before any upstream call', async () => {
    const response = await production.graphql(
      document(1),
      { ids: Array.from({ length: 1_500 }, (_, i) => quentliId(i)) },
      authorized,
    );
    expect(response.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT' } });
    expect(response.errors?.[0]?.message).toMatch(/at most 100/);
    expect(upstreamCalls()).toBe(0);
  });

  it('counts each id of nodes in the cost: the same document passes with one id and is refused with 100', async () => {
    const one = await production.graphql(document(14), { ids: [quentliId(1)] }, authorized);
    expect(one.errors).toBeUndefined();
    sandbox.resetRequests();
    const many = await production.graphql(
      document(14),
      { ids: Array.from({ length: 100 }, (_, i) => quentliId(i)) },
      authorized,
    );
    expect(many.errors?.[0]?.extensions?.code).toBe('QUERY_TOO_COMPLEX');
    expect(upstreamCalls()).toBe(0);
  });
});

describe('bounded input', () => {
  it('refuses variables nested 15,000 levels deep with BAD_USER_INPUT, before any upstream call', async () => {
    // Written by hand: JSON.stringify itself would exhaust the stack on such a value.
    const meta = `${'{"a":'.repeat(15_000)}{}${'}'.repeat(15_000)}`;
    const query = 'mutation Deep($input: UpdateCustomerInput!) { updateCustomer(input: $input) { customer { id } } }';
    const id = Buffer.from('QuentliCustomer:cmab12cd3000x1a2b3c4d5e6f').toString('base64');
    const response = await fetch(`${production.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...authorized },
      body: `{"query": ${JSON.stringify(query)}, "variables": {"input": {"id": "${id}", "data": {"meta": ${meta}}}}}`,
    });
    const body = (await response.json()) as { errors: { message: string; extensions: { code: string } }[] };
    expect(body.errors[0]?.extensions.code).toBe('BAD_USER_INPUT');
    expect(body.errors[0]?.message).toMatch(/nested too deeply/);
    expect(upstreamCalls()).toBe(0);
  });

  it('refuses a filter whose AND/NOT nesting goes too deep, written inline, with BAD_USER_INPUT', async () => {
    const filter = `${'{ NOT: ['.repeat(30)}{ name: { equals: "x" } }${' ] }'.repeat(30)}`;
    const response = await production.graphql(
      `{ quentliCustomers(first: 1, filter: ${filter}) { edges { cursor } } }`,
      {},
      authorized,
    );
    expect(response.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(upstreamCalls()).toBe(0);
  });

  it('accepts a filter of a few levels', async () => {
    const response = await production.graphql(
      '{ quentliCustomers(first: 1, filter: { AND: [{ OR: [{ name: { contains: "a" } }, { NOT: [{ archived: true }] }] }] }) { edges { cursor } } }',
      {},
      authorized,
    );
    expect(response.errors).toBeUndefined();
  });

  it('accepts a chunked body (no Content-Length) and refuses one that grows past 100 kB while it is read', async () => {
    const chunked = (text: string) =>
      new ReadableStream<Uint8Array>({
        start(controller) {
          controller.enqueue(new TextEncoder().encode(text));
          controller.close();
        },
      });
    const post = (text: string) =>
      fetch(`${production.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...authorized },
        body: chunked(text),
        duplex: 'half',
      } as RequestInit);
    const small = await post(JSON.stringify({ query: '{ customers(first: 1) { edges { cursor } } }' }));
    expect(small.status).toBe(200);
    expect(((await small.json()) as { data: { customers: { edges: unknown[] } } }).data.customers.edges).toHaveLength(
      1,
    );
    const large = await post(JSON.stringify({ query: `{ __typename }${' '.repeat(120_000)}` }));
    expect(large.status).toBe(413);
  });

  it('answers a POST with neither Content-Length nor a chunked body (an empty body, once the 411 case) with 400 BAD_REQUEST', async () => {
    const { hostname, port } = new URL(production.url);
    const socket = connect(Number(port), hostname);
    let answer = '';
    socket.setEncoding('utf8').on('data', (chunk: string) => (answer += chunk));
    const closed = once(socket, 'close');
    socket.write(
      `POST /graphql HTTP/1.1\r\nHost: ${hostname}\r\nContent-Type: application/json\r\nAuthorization: ${authorized.authorization}\r\nConnection: close\r\n\r\n`,
    );
    await closed;
    const [head = '', body = ''] = answer.split('\r\n\r\n');
    expect(head.split('\r\n')[0]).toBe('HTTP/1.1 400 Bad Request');
    expect(JSON.parse(body)).toEqual({
      errors: [{ message: 'POST body sent invalid JSON.', extensions: { code: 'BAD_REQUEST' } }],
    });
    expect(upstreamCalls()).toBe(0);
  });
});

describe('schema hidden when introspection is off', () => {
  it('refuses introspection', async () => {
    const response = await production.graphql('{ __schema { types { name } } }', {}, authorized);
    expect(response.data ?? null).toBeNull();
    expect(response.errors?.[0]?.message).toMatch(/introspection/i);
  });

  it.each([
    ['a mistyped field', '{ customerz(first: 1) { edges { cursor } } }', {}, 'GRAPHQL_VALIDATION_FAILED'],
    ['a mistyped argument', '{ customers(frist: 1) { edges { cursor } } }', {}, 'GRAPHQL_VALIDATION_FAILED'],
    [
      'a mistyped type',
      'query Q($f: CustomerFiltre) { customers(first: 1, filter: $f) { edges { cursor } } }',
      {},
      'GRAPHQL_VALIDATION_FAILED',
    ],
    [
      'a mistyped enum value in a variable',
      'query Q($s: [CustomerSource!]) { customers(first: 1, sources: $s) { edges { cursor } } }',
      { s: ['QUENTLY'] },
      'BAD_USER_INPUT',
    ],
    [
      'a mistyped input field in a variable',
      'query Q($f: CustomerFilter) { customers(first: 1, filter: $f) { edges { cursor } } }',
      { f: { serach: 'a' } },
      'BAD_USER_INPUT',
    ],
  ])('suggests no names for %s', async (_what, query, variables, code) => {
    const response = await production.graphql(query, variables, authorized);
    expect(response.errors?.map((error) => error.extensions?.code)).toEqual([code]);
    for (const error of response.errors ?? []) expect(error.message).not.toMatch(/Did you mean/);
  });

  it('still suggests names where introspection is on (sandbox mode)', async () => {
    const response = await sandbox.graphql('{ customerz(first: 1) { edges { cursor } } }');
    expect(response.errors?.[0]?.message).toMatch(/Did you mean "customers"/);
  });
});

describe('what errors tell the client', () => {
  it("replaces an upstream's error text with the gateway's own, and logs the upstream's text with the request id", async () => {
    const leaky =
      'Invalid `prisma.customer.findMany()` invocation in /srv/app/src/customers.ts:42 token=tok_live_51H8s';
    sandbox.sandbox.quentli.faults.set({ status: 400, message: leaky, times: 1 });
    const response = await fetch(`${production.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-request-id': 'req-leak-1', ...authorized },
      body: JSON.stringify({ query: '{ quentliCustomers(first: 1) { edges { cursor } } }' }),
    });
    const text = await response.text();
    expect(text).not.toContain('prisma');
    expect(text).not.toContain('tok_live');
    const body = JSON.parse(text) as { errors: { message: string; extensions: Record<string, unknown> }[] };
    expect(body.errors[0]).toMatchObject({
      message: 'Quentli refused the request.',
      extensions: { code: 'UPSTREAM_REJECTED', source: 'QUENTLI' },
    });
    const line = production.logs.find((entry) => entry.includes('req-leak-1') && entry.includes('"request"'));
    expect(line).toContain('tok_live_51H8s');
  });

  it('names no configuration variable when an upstream refuses the credentials', async () => {
    sandbox.sandbox.nxlink.faults.set({ nxlinkCode: 401, times: 3 });
    const response = await production.graphql('{ nxlinkCustomers(first: 1) { edges { cursor } } }', {}, authorized);
    expect(response.errors?.[0]).toMatchObject({ extensions: { code: 'UPSTREAM_AUTH', source: 'NXLINK' } });
    expect(JSON.stringify(response.errors)).not.toMatch(/NXLINK_|QUENTLI_|check /);
    sandbox.sandbox.nxlink.faults.clear();
  });

  it('answers a body that is not JSON without echoing it or the parser error', async () => {
    const response = await fetch(`${production.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...authorized },
      body: '{"query": "{ __typename }", secret-looking-body',
    });
    const text = await response.text();
    expect(response.status).toBe(400);
    expect(text).not.toContain('secret-looking-body');
    expect(text).not.toContain('originalError');
    expect(text).not.toContain('SyntaxError');
  });
});

describe('slow clients', () => {
  let strict: TestGateway;
  beforeAll(async () => {
    strict = await startTestGateway(
      {
        GATEWAY_ALLOW_ANONYMOUS: 'false',
        GATEWAY_API_KEYS: KEY,
        GATEWAY_CLIENT_HEADERS_TIMEOUT_MS: '500',
        GATEWAY_CLIENT_REQUEST_TIMEOUT_MS: '1000',
        GATEWAY_CLIENT_KEEPALIVE_TIMEOUT_MS: '500',
      },
      { upstreamsOf: sandbox },
    );
  });
  afterAll(() => strict?.close());

  /** Opens a raw connection, writes `text`, and resolves with what the server sent once it closes. */
  function rawExchange(text: string): Promise<{ received: string; closedAfterMs: number }> {
    const { port } = new URL(strict.url);
    const started = performance.now();
    return new Promise((resolve, reject) => {
      const socket = connect(Number(port), '127.0.0.1', () => socket.write(text));
      let received = '';
      socket.setEncoding('utf8').on('data', (chunk: string) => (received += chunk));
      socket.on('error', reject);
      socket.on('close', () => resolve({ received, closedAfterMs: performance.now() - started }));
      // Never left open by a broken test.
      setTimeout(() => socket.destroy(), 15_000).unref();
    });
  }

  it('closes a connection whose body never arrives in full, within the request timeout', async () => {
    const head = `POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nAuthorization: Bearer ${KEY}\r\nContent-Length: 1000\r\n\r\n{"query"`;
    const { closedAfterMs } = await rawExchange(head);
    expect(closedAfterMs).toBeLessThan(10_000);
  });

  it('closes a connection whose headers never end, within the headers timeout', async () => {
    const { received, closedAfterMs } = await rawExchange('GET /health HTTP/1.1\r\nHost: x\r\n');
    expect(closedAfterMs).toBeLessThan(10_000);
    expect(received === '' || received.startsWith('HTTP/1.1 408')).toBe(true);
  });

  it('closes an idle keep-alive connection', async () => {
    const { received, closedAfterMs } = await rawExchange('GET /health HTTP/1.1\r\nHost: x\r\n\r\n');
    expect(received).toMatch(/^HTTP\/1\.1 200/);
    expect(closedAfterMs).toBeLessThan(10_000);
  });
});

describe('per-client rate limits', () => {
  const OTHER_KEY = 'gk_security_other_9z8y7x';
  const LIMIT = 4;
  let limited: TestGateway;
  beforeAll(async () => {
    limited = await startTestGateway(
      { GATEWAY_ALLOW_ANONYMOUS: 'false', GATEWAY_API_KEYS: `${KEY},${OTHER_KEY}`, GATEWAY_RATE_LIMIT: String(LIMIT) },
      { upstreamsOf: sandbox },
    );
  });
  afterAll(() => limited?.close());

  it("answers a key past its minute's budget with 429 and Retry-After, and leaves other keys alone", async () => {
    for (let i = 0; i < LIMIT; i += 1) {
      expect((await limited.graphql('{ __typename }', {}, authorized)).status).toBe(200);
    }
    const refused = await fetch(`${limited.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...authorized },
      body: JSON.stringify({ query: '{ __typename }' }),
    });
    expect(refused.status).toBe(429);
    const retryAfter = Number(refused.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(((await refused.json()) as { errors: { extensions: { code: string } }[] }).errors[0]?.extensions.code).toBe(
      'RATE_LIMITED',
    );
    expect((await limited.graphql('{ __typename }', {}, { authorization: `Bearer ${OTHER_KEY}` })).status).toBe(200);
  });

  it('limits requests without a valid key by address, so keys cannot be guessed at speed', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < LIMIT + 1; i += 1) {
      statuses.push((await limited.graphql('{ __typename }', {}, { authorization: `Bearer guess-${i}` })).status);
    }
    expect(statuses).toEqual([...Array.from({ length: LIMIT }, () => 401), 429]);
  });

  it('never limits the probes', async () => {
    for (let i = 0; i < LIMIT * 2; i += 1) expect((await fetch(`${limited.url}/health`)).status).toBe(200);
  });
});

if (!redisAvailable) {
  console.warn(
    `SKIPPED: the shared rate-limit test needs Debian's redis-server at ${REDIS_SERVER}; .ci/run installs it.`,
  );
}

describe.skipIf(!redisAvailable)(
  'per-client rate limits shared by two replicas through Redis (needs Debian redis-server)',
  () => {
    const LIMIT = 6;
    let redis: TestRedis;
    let a: TestGateway;
    let b: TestGateway;
    beforeAll(async () => {
      redis = await startTestRedis();
      const env = {
        GATEWAY_ALLOW_ANONYMOUS: 'false',
        GATEWAY_API_KEYS: KEY,
        GATEWAY_RATE_LIMIT: String(LIMIT),
        GATEWAY_REPLICAS: '2',
        REDIS_URL: redis.url,
        REDIS_KEY_PREFIX: `security-${process.pid}:`,
      };
      a = await startTestGateway(env, { upstreamsOf: sandbox });
      b = await startTestGateway(env, { upstreamsOf: sandbox });
    });
    afterAll(async () => {
      await b?.close();
      await a?.close();
      await redis?.stop();
    });

    it("counts one key's requests on both replicas together", async () => {
      const statuses: number[] = [];
      for (let i = 0; i < LIMIT + 2; i += 1) {
        const replica = i % 2 === 0 ? a : b;
        statuses.push((await replica.graphql('{ __typename }', {}, authorized)).status);
      }
      expect(statuses).toEqual([...Array.from({ length: LIMIT }, () => 200), 429, 429]);
    });
  },
);
