import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../support/gateway.ts';

/** What someone trying the gateway for the first time meets: the small things around the API. */
const KEY = 'gk_newcomer_7a6b5c4d3e';
let sandbox: TestGateway; // anonymous access, as `npm start` runs it
let keyed: TestGateway; // a key required

beforeAll(async () => {
  sandbox = await startTestGateway();
  keyed = await startTestGateway({ GATEWAY_ALLOW_ANONYMOUS: 'false', GATEWAY_API_KEYS: KEY }, { upstreamsOf: sandbox });
});
afterAll(async () => {
  await keyed.close();
  await sandbox.close();
});

interface LogLine {
  level: number;
  msg: string;
  requestId?: string;
  status?: number;
  errors?: { code: string; message: string }[];
}
const logLines = (gateway: TestGateway): LogLine[] => gateway.logs.map((line) => JSON.parse(line) as LogLine);

describe('GET /', () => {
  it('points to the GraphQL endpoint and the probes, as JSON', async () => {
    const response = await fetch(`${sandbox.url}/`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await response.json()).toEqual({
      message: expect.stringContaining('/graphql'),
      graphql: '/graphql',
      graphiql: '/graphql',
      health: '/health',
      readiness: '/readiness',
    });
  });

  it('needs the key like every route that is not a probe or the GraphiQL page', async () => {
    const anonymous = await fetch(`${keyed.url}/`);
    expect(anonymous.status).toBe(401);
    expect((await anonymous.json()).errors[0].extensions.code).toBe('UNAUTHENTICATED');
    const withKey = await fetch(`${keyed.url}/`, { headers: { authorization: `Bearer ${KEY}` } });
    expect(withKey.status).toBe(200);
    expect((await withKey.json()).graphql).toBe('/graphql');
  });
});

describe('GET /health', () => {
  it('answers with a body, without a key', async () => {
    const response = await fetch(`${keyed.url}/health`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ live: true });
  });

  it('is /health only: a GraphQL URL that happens to end in /health is a GraphQL request', async () => {
    const response = await fetch(`${sandbox.url}/graphql?x=/health`, { headers: { accept: 'application/json' } });
    expect((await response.json()).errors[0].message).toMatch(/query/i);
  });
});

describe('query limits', () => {
  it('say how deep a query may be, without "Syntax Error"', async () => {
    let selection = 'id';
    for (let level = 0; level < 8; level++) selection = `quentliCustomer { nxlinkProfile { ${selection} } }`;
    const response = await sandbox.graphql(`{ nxlinkCustomers(first: 1) { edges { node { ${selection} } } } }`);
    expect(response.errors).toEqual([
      {
        message: "The query's depth is 20, over the limit of 12: select fewer nested fields.",
        extensions: { code: 'QUERY_TOO_DEEP' },
      },
    ]);
  });

  it('say how many aliases a query may have, without "Syntax Error"', async () => {
    const aliases = Array.from({ length: 16 }, (_, index) => `n${index}: node(id: "x") { id }`).join(' ');
    const response = await sandbox.graphql(`{ ${aliases} }`);
    expect(response.errors).toEqual([
      {
        message: 'The query has 16 aliases, over the limit of 15: send fewer aliased fields, or several requests.',
        extensions: { code: 'TOO_MANY_ALIASES' },
      },
    ]);
  });

  it('answer `first: 10000` with the page-size rule, not with the cost of 10,000 items', async () => {
    const response = await sandbox.graphql(
      `{ customers(first: 10000) { edges { node { ... on QuentliCustomer { nxlinkProfile { fullName quentliCustomer { name } } } } } } }`,
    );
    expect(response.errors).toEqual([
      expect.objectContaining({
        message: '`first` must be a whole number from 0 to 100; got 10000.',
        extensions: { code: 'BAD_USER_INPUT', field: ['first'] },
      }),
    ]);
  });
});

describe("a client's mistakes in the log", () => {
  it('are logged below error level, on the request line, with its request id and the errors the client got', async () => {
    const mistakes: [string, RequestInit][] = [
      ['document that does not validate', { body: JSON.stringify({ query: '{ nope }' }) }],
      ['document that does not parse', { body: JSON.stringify({ query: '{ a' }) }],
      [
        'variable of the wrong type',
        {
          body: JSON.stringify({
            query: 'query ($f: Int) { customers(first: $f) { edges { cursor } } }',
            variables: { f: 'x' },
          }),
        },
      ],
      ['bad argument', { body: JSON.stringify({ query: '{ customers(after: "zzz") { edges { cursor } } }' }) }],
      ['malformed global id', { body: JSON.stringify({ query: '{ node(id: "hello") { id } }' }) }],
      ['body that is not JSON', { body: '{not json' }],
    ];
    const before = sandbox.logs.length;
    const ids: string[] = [];
    for (const [, init] of mistakes) {
      const response = await fetch(`${sandbox.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        ...init,
      });
      await response.text();
      const id = response.headers.get('x-request-id');
      expect(id).toMatch(/^[0-9a-f-]{36}$/);
      ids.push(id!);
    }
    await new Promise((resolve) => setTimeout(resolve, 50)); // log lines are written asynchronously
    const lines = logLines(sandbox).slice(before);
    expect(lines.filter((line) => line.level >= 50)).toEqual([]);
    for (const [index, [what]] of mistakes.entries()) {
      const line = lines.find((candidate) => candidate.msg === 'request' && candidate.requestId === ids[index]);
      expect(line, what).toMatchObject({
        level: 30,
        errors: [expect.objectContaining({ code: expect.any(String), message: expect.any(String) })],
      });
    }
  });
});
