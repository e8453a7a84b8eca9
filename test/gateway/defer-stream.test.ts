import { readFileSync } from 'node:fs';
import { ApolloClient, gql, HttpLink, InMemoryCache } from '@apollo/client';
import { Defer20220824Handler } from '@apollo/client/incremental';
import { createClient, fetchExchange, type OperationResult } from '@urql/core';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { TestGateway } from '../support/gateway.ts';
import { postForParts, type Payload, type WireError } from '../support/incremental.ts';

/**
 * `@defer` and `@stream` over real HTTP: what each part holds as it comes over the wire
 * (multipart/mixed and Server-Sent Events), and the result urql and Apollo Client assemble from
 * the parts, which must equal the answer to the same query without the directives. Everything
 * runs twice: with compiled execution (graphql-jit, which leaves documents with the directives
 * to graphql-js) and without it.
 */

const DEFERRED = /* GraphQL */ `
  query Linked {
    customers(first: 20) {
      edges {
        cursor
        node {
          id
          source
          sourceId
          name
          phoneNumber
          ... on QuentliCustomer {
            ... @defer(label: "nxlink") { nxlinkProfile { id sourceId fullName whatsappPhone } }
          }
          ... on NxlinkCustomer {
            ... @defer(label: "quentli") { quentliCustomer { id sourceId name phoneNumber } }
          }
        }
      }
      pageInfo { hasNextPage endCursor }
    }
  }
`;
const STREAMED = /* GraphQL */ `
  query Streamed {
    quentliCustomers(first: 8) {
      edges @stream(initialCount: 3) { cursor node { id sourceId name } }
      pageInfo { hasNextPage endCursor }
    }
    nxlinkCustomers(first: 5) {
      edges @stream(initialCount: 0) { cursor node { id sourceId fullName } }
    }
  }
`;
/** The Quentli half first, the NXLink links when they come. */
const QUENTLI_FIRST = /* GraphQL */ `
  query QuentliFirst {
    quentliCustomers(first: 10) {
      edges { node { id name phoneNumber ... @defer { nxlinkProfile { id fullName } } } }
    }
  }
`;
/** A whole source's page deferred, beside the other's. */
const NXLINK_PAGE_DEFERRED = /* GraphQL */ `
  query NxlinkLater {
    quentliCustomers(first: 3) { edges { node { id } } unavailableSources }
    ... @defer { nxlinkCustomers(first: 3) { edges { node { id } } unavailableSources } }
  }
`;

/** The example of the README's `@defer` section. */
function readmeExample(): string {
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
  const start = readme.indexOf('## `@defer` and `@stream`');
  const section = readme.slice(start, readme.indexOf('\n## ', start + 3));
  const example = /```graphql\n([\s\S]*?)```/.exec(section)?.[1];
  if (example === undefined) throw new Error("The README's @defer section has no example");
  return example;
}

/** The same query without `@defer` and `@stream`. */
const plain = (query: string) => query.replaceAll(/ @(defer|stream)(\([^)]*\))?/g, '');

type Mode = { name: string; speedTricksOff: string };
const MODES: Mode[] = [
  { name: 'with compiled execution', speedTricksOff: '' },
  {
    name: 'without compiled execution (GATEWAY_SPEED_TRICKS_OFF=compiled-execution)',
    speedTricksOff: 'compiled-execution',
  },
];

/**
 * A test gateway whose modules are loaded afresh with GATEWAY_SPEED_TRICKS_OFF set, since the
 * speed tricks are read once, when their module loads.
 */
async function startGatewayWith(
  speedTricksOff: string,
  env: Record<string, string> = {},
  upstreamsOf?: TestGateway,
): Promise<TestGateway> {
  vi.resetModules();
  const before = process.env.GATEWAY_SPEED_TRICKS_OFF;
  process.env.GATEWAY_SPEED_TRICKS_OFF = speedTricksOff;
  try {
    const { startTestGateway } = await import('../support/gateway.ts');
    // The gateway's modules, loaded just now, see the setting.
    const { speedTrickOn } = await import('../../src/speed-tricks.ts');
    expect(speedTrickOn('compiled-execution')).toBe(!speedTricksOff.includes('compiled-execution'));
    // No retries and a breaker that stays closed: every request meets a fault itself.
    return await startTestGateway(
      { UPSTREAM_RETRIES: '0', CIRCUIT_BREAKER_THRESHOLD: '1000', ...env },
      { upstreamsOf },
    );
  } finally {
    if (before === undefined) delete process.env.GATEWAY_SPEED_TRICKS_OFF;
    else process.env.GATEWAY_SPEED_TRICKS_OFF = before;
  }
}

/** The last result urql gives for a query (the assembled one), and how many it gave. */
async function urqlResult(
  url: string,
  query: string,
  accept?: string,
): Promise<{ result: OperationResult; results: number }> {
  const client = createClient({
    url: `${url}/graphql`,
    exchanges: [fetchExchange],
    requestPolicy: 'network-only',
    ...(accept === undefined ? {} : { fetchOptions: { headers: { accept } } }),
  });
  let results = 0;
  const result = await new Promise<OperationResult>((resolve) => {
    const subscription = client.query(query, {}).subscribe((next) => {
      results += 1;
      if (next.hasNext) return;
      resolve(next);
      queueMicrotask(() => subscription.unsubscribe());
    });
  });
  return { result, results };
}

function apolloClient(url: string): ApolloClient {
  return new ApolloClient({
    link: new HttpLink({ uri: `${url}/graphql` }),
    cache: new InMemoryCache(),
    incrementalHandler: new Defer20220824Handler(),
  });
}

/** Every error of the parts, with the part it came in. */
function errorsByPart(parts: { payload: Payload }[]): { part: number; error: WireError }[] {
  return parts.flatMap(({ payload }, part) =>
    [...(payload.errors ?? []), ...(payload.incremental ?? []).flatMap((item) => item.errors ?? [])].map((error) => ({
      part,
      error,
    })),
  );
}

describe.each(MODES)('@defer and @stream, $name', ({ speedTricksOff }) => {
  let gateway: TestGateway;

  beforeAll(async () => {
    gateway = await startGatewayWith(speedTricksOff);
  });
  afterAll(() => gateway.close());
  afterEach(() => {
    gateway.sandbox.quentli.faults.clear();
    gateway.sandbox.nxlink.faults.clear();
  });

  /** gateway_graphql_operations_total by its labels. */
  async function operationCounts(): Promise<Map<string, number>> {
    const text = await (await fetch(`${gateway.url}/metrics`)).text();
    const counts = new Map<string, number>();
    for (const match of text.matchAll(/^gateway_graphql_operations_total(\{[^}]*\}) (\S+)$/gm))
      counts.set(match[1]!, Number(match[2]));
    return counts;
  }

  describe('over multipart/mixed, part by part', () => {
    it('sends the page first, then the links of each customer, and ends with hasNext false', async () => {
      const whole = await gateway.graphql(plain(DEFERRED));
      expect(whole.errors).toBeUndefined();
      // biome-ignore lint/suspicious/noExplicitAny: nodes of both types, read loosely
      const edges = whole.data.customers.edges as { node: Record<string, any> }[];
      expect(edges).toHaveLength(20);
      // The page has linked customers of both kinds, so a lost link would show.
      expect(edges.some(({ node }) => node.nxlinkProfile != null)).toBe(true);
      expect(edges.some(({ node }) => node.quentliCustomer != null)).toBe(true);

      const response = await postForParts(gateway.url, DEFERRED, 'multipart/mixed');
      expect(response.status).toBe(200);
      expect(response.contentType).toMatch(/^multipart\/mixed/);
      const [first, ...later] = response.parts;
      expect(later.length).toBeGreaterThan(0);
      expect(first!.payload.hasNext).toBe(true);
      expect(first!.payload.errors).toBeUndefined();
      // The first part: the page without any link.
      const firstEdges = first!.payload.data!.customers.edges as { cursor: string; node: Record<string, unknown> }[];
      expect(firstEdges).toEqual(
        // biome-ignore lint/suspicious/noExplicitAny: nodes of both types, read loosely
        edges.map(({ cursor, node }: Record<string, any>) => {
          const { nxlinkProfile: _nxlink, quentliCustomer: _quentli, ...own } = node;
          return { cursor, node: own };
        }),
      );
      expect(first!.payload.data!.customers.pageInfo).toEqual(whole.data.customers.pageInfo);
      // Later parts: one deferred fragment per customer, at its node, with its link as the whole answer has it.
      const items = later.flatMap(({ payload }) => payload.incremental ?? []);
      expect(items.map((item) => item.path.join('.')).sort()).toEqual(
        edges.map((_, index) => `customers.edges.${index}.node`).sort(),
      );
      for (const item of items) {
        const node = edges[item.path[2] as number]!.node;
        expect(item.label).toBe(node.source === 'QUENTLI' ? 'nxlink' : 'quentli');
        expect(item.data).toEqual(
          node.source === 'QUENTLI' ? { nxlinkProfile: node.nxlinkProfile } : { quentliCustomer: node.quentliCustomer },
        );
        expect(item.errors).toBeUndefined();
      }
      expect(later.slice(0, -1).every(({ payload }) => payload.hasNext === true)).toBe(true);
      expect(later.at(-1)!.payload.hasNext).toBe(false);
    });

    it('sends the first part as soon as its half is read, and the deferred half when it comes', async () => {
      // NXLink answers 700 ms late: only the deferred links wait for it.
      gateway.sandbox.nxlink.faults.set({ latencyMs: 700 });
      const response = await postForParts(gateway.url, QUENTLI_FIRST, 'multipart/mixed');
      const [first, ...later] = response.parts;
      expect(first!.payload.data!.quentliCustomers.edges).toHaveLength(10);
      expect(first!.at).toBeLessThan(500);
      expect(later.at(-1)!.at).toBeGreaterThanOrEqual(700);
      expect(
        later.flatMap(({ payload }) => payload.incremental ?? []).some((item) => item.data?.nxlinkProfile != null),
      ).toBe(true);
    });

    it('streams the edges of a connection after the first ones, in order', async () => {
      const whole = await gateway.graphql(plain(STREAMED));
      expect(whole.errors).toBeUndefined();
      const response = await postForParts(gateway.url, STREAMED, 'multipart/mixed');
      const [first, ...later] = response.parts;
      expect(first!.payload.data!.quentliCustomers.edges).toEqual(whole.data.quentliCustomers.edges.slice(0, 3));
      expect(first!.payload.data!.quentliCustomers.pageInfo).toEqual(whole.data.quentliCustomers.pageInfo);
      expect(first!.payload.data!.nxlinkCustomers.edges).toEqual([]);
      const streamed = (connection: string) =>
        later
          .flatMap(({ payload }) => payload.incremental ?? [])
          .filter((item) => item.path[0] === connection)
          .flatMap((item) =>
            (item.items ?? []).map((edge, offset) => ({ index: (item.path[2] as number) + offset, edge })),
          );
      expect(streamed('quentliCustomers')).toEqual(
        whole.data.quentliCustomers.edges.slice(3).map((edge: unknown, index: number) => ({ index: index + 3, edge })),
      );
      expect(streamed('nxlinkCustomers')).toEqual(
        whole.data.nxlinkCustomers.edges.map((edge: unknown, index: number) => ({ index, edge })),
      );
      expect(later.at(-1)!.payload.hasNext).toBe(false);
    });
  });

  it("answers the README's example as the README says: the page first, then the links by label", async () => {
    const example = readmeExample();
    const whole = await gateway.graphql(plain(example));
    expect(whole.errors).toBeUndefined();
    const response = await postForParts(gateway.url, example, 'multipart/mixed');
    const [first, ...later] = response.parts;
    expect(first!.payload.hasNext).toBe(true);
    const nodes = first!.payload.data!.customers.edges.map((edge: { node: Record<string, unknown> }) => edge.node);
    expect(nodes).toHaveLength(50);
    expect(nodes.some((node: Record<string, unknown>) => 'nxlinkProfile' in node || 'quentliCustomer' in node)).toBe(
      false,
    );
    const items = later.flatMap(({ payload }) => payload.incremental ?? []);
    expect(items).toHaveLength(50);
    expect(new Set(items.map((item) => item.label))).toEqual(new Set(['nxlink', 'quentli']));
    for (const item of items)
      expect(Object.keys(item.data ?? {})).toEqual([item.label === 'nxlink' ? 'nxlinkProfile' : 'quentliCustomer']);
    expect(later.at(-1)!.payload.hasNext).toBe(false);
  });

  describe('over Server-Sent Events', () => {
    it('sends the same parts as next events, then complete', async () => {
      const response = await postForParts(gateway.url, DEFERRED, 'text/event-stream');
      expect(response.status).toBe(200);
      expect(response.contentType).toMatch(/^text\/event-stream/);
      const multipart = await postForParts(gateway.url, DEFERRED, 'multipart/mixed');
      expect(response.parts[0]!.payload).toEqual(multipart.parts[0]!.payload);
      const items = (parts: { payload: Payload }[]) =>
        parts
          .flatMap(({ payload }) => payload.incremental ?? [])
          .sort((a, b) => a.path.join('.').localeCompare(b.path.join('.')));
      expect(items(response.parts)).toEqual(items(multipart.parts));
      expect(response.parts.at(-1)!.payload.hasNext).toBe(false);
      expect(response.text.trimEnd().endsWith('event: complete\ndata:')).toBe(true);
    });
  });

  describe('assembled by a client', () => {
    it('urql over multipart/mixed: the deferred query assembles to the answer without @defer', async () => {
      const whole = await urqlResult(gateway.url, plain(DEFERRED));
      const deferred = await urqlResult(gateway.url, DEFERRED);
      expect(whole.result.error).toBeUndefined();
      expect(deferred.result.error).toBeUndefined();
      expect(deferred.results).toBeGreaterThan(1);
      expect(deferred.result.data).toEqual(whole.result.data);
    });

    it('urql over Server-Sent Events: the same', async () => {
      const whole = await urqlResult(gateway.url, plain(DEFERRED));
      const deferred = await urqlResult(gateway.url, DEFERRED, 'text/event-stream');
      expect(deferred.result.error).toBeUndefined();
      expect(deferred.results).toBeGreaterThan(1);
      expect(deferred.result.data).toEqual(whole.result.data);
    });

    it('urql: streamed edges assemble to the whole connection', async () => {
      const whole = await urqlResult(gateway.url, plain(STREAMED));
      const streamed = await urqlResult(gateway.url, STREAMED);
      expect(streamed.result.error).toBeUndefined();
      expect(streamed.results).toBeGreaterThan(1);
      expect(streamed.result.data).toEqual(whole.result.data);
    });

    it('Apollo Client (Defer20220824Handler) over multipart/mixed: the same as without @defer', async () => {
      const client = apolloClient(gateway.url);
      const whole = await client.query({ query: gql(plain(DEFERRED)), fetchPolicy: 'no-cache' });
      const deferred = await client.query({ query: gql(DEFERRED), fetchPolicy: 'no-cache' });
      expect(deferred.error).toBeUndefined();
      expect(deferred.data).toEqual(whole.data);
      client.stop();
    });
  });

  it('answers a client that takes only JSON with the whole result at once, as without @defer', async () => {
    const whole = await gateway.graphql(plain(DEFERRED));
    const deferred = await gateway.graphql(DEFERRED);
    expect(deferred.status).toBe(200);
    expect(deferred).toEqual(whole);
    const streamed = await gateway.graphql(STREAMED);
    expect(streamed).toEqual(await gateway.graphql(plain(STREAMED)));
  });

  describe('an upstream failure in the deferred half', () => {
    it('leaves the first part whole, and puts the error, with its code and source, in the part of each link', async () => {
      gateway.sandbox.nxlink.faults.set({ status: 503 });
      const counted = await operationCounts();
      const response = await postForParts(gateway.url, QUENTLI_FIRST, 'multipart/mixed');
      const [first, ...later] = response.parts;
      expect(first!.payload.errors).toBeUndefined();
      const edges = first!.payload.data!.quentliCustomers.edges as { node: { phoneNumber: string | null } }[];
      expect(edges).toHaveLength(10);
      const linkable = edges.flatMap(({ node }, index) => (node.phoneNumber === null ? [] : [index]));
      expect(linkable.length).toBeGreaterThan(0);
      const items = later.flatMap(({ payload }) => payload.incremental ?? []);
      for (const index of linkable) {
        const item = items.find((candidate) => candidate.path.join('.') === `quentliCustomers.edges.${index}.node`);
        expect(item?.data).toEqual({ nxlinkProfile: null });
        expect(item?.errors).toEqual([
          {
            message: expect.any(String),
            path: ['quentliCustomers', 'edges', index, 'node', 'nxlinkProfile'],
            extensions: { code: 'UPSTREAM_UNAVAILABLE', source: 'NXLINK' },
          },
        ]);
      }
      // The request's log line is written once the last part is out, with the parts' errors.
      const line = gateway.logs.map((text) => JSON.parse(text)).findLast((entry) => entry.operation === 'QuentliFirst');
      expect(line).toMatchObject({ status: 200, parts: response.parts.length });
      expect(line.errors.length).toBeGreaterThan(0);
      expect(line.errors.every((error: { code: string }) => error.code === 'UPSTREAM_UNAVAILABLE')).toBe(true);
      expect(line.upstreams.NXLINK.failed).toBeGreaterThan(0);
      expect(line.firstPartMs).toBeLessThanOrEqual(line.durationMs);
      // Counted once, when it ended, as data with errors.
      const after = await operationCounts();
      expect(after.get('{operation="QuentliFirst",outcome="partial"}')).toBe(
        (counted.get('{operation="QuentliFirst",outcome="partial"}') ?? 0) + 1,
      );
      expect(after.get('{operation="QuentliFirst",outcome="ok"}')).toBe(
        counted.get('{operation="QuentliFirst",outcome="ok"}'),
      );
    });

    it('a deferred source page: its unavailableSources in its part, the pathless error with code and source', async () => {
      gateway.sandbox.nxlink.faults.set({ status: 503 });
      const response = await postForParts(gateway.url, NXLINK_PAGE_DEFERRED, 'multipart/mixed');
      const [first, ...later] = response.parts;
      expect(first!.payload.data!.quentliCustomers.edges).toHaveLength(3);
      expect(first!.payload.data!.quentliCustomers.unavailableSources).toEqual([]);
      expect(later.flatMap(({ payload }) => payload.incremental ?? []).map((item) => item.data)).toEqual([
        { nxlinkCustomers: { edges: [], unavailableSources: ['NXLINK'] } },
      ]);
      expect(errorsByPart(response.parts).map(({ error }) => error)).toEqual([
        { message: expect.any(String), extensions: { code: 'UPSTREAM_UNAVAILABLE', source: 'NXLINK' } },
      ]);
    });

    it('urql assembles the data and the errors of every part', async () => {
      gateway.sandbox.nxlink.faults.set({ status: 503 });
      const deferred = await urqlResult(gateway.url, NXLINK_PAGE_DEFERRED);
      expect(deferred.result.data?.nxlinkCustomers).toEqual({ edges: [], unavailableSources: ['NXLINK'] });
      expect(deferred.result.data?.quentliCustomers.edges).toHaveLength(3);
      expect(deferred.result.error?.graphQLErrors.map((error) => error.extensions)).toEqual([
        { code: 'UPSTREAM_UNAVAILABLE', source: 'NXLINK' },
      ]);
    });

    it("replaces the upstream's own error text in a deferred part with the gateway's, as in a first part", async () => {
      const leaky =
        'Invalid `prisma.customer.findMany()` invocation in /srv/app/src/customers.ts:42 token=tok_live_51H8s';
      gateway.sandbox.nxlink.faults.set({ nxlinkCode: 400, message: leaky });
      const response = await postForParts(gateway.url, QUENTLI_FIRST, 'multipart/mixed');
      expect(response.text).not.toContain('prisma');
      expect(response.text).not.toContain('tok_live');
      const errors = errorsByPart(response.parts);
      expect(errors.length).toBeGreaterThan(0);
      for (const { part, error } of errors) {
        expect(part).toBeGreaterThan(0);
        expect(error.extensions).toEqual({ code: expect.stringMatching(/^UPSTREAM_/), source: 'NXLINK' });
        expect(Object.keys(error).sort()).toEqual(['extensions', 'message', 'path']);
      }
    });
  });

  describe('limits', () => {
    it('refuses a deferred query over the cost limit before any upstream call, as without @defer', async () => {
      const fields = 'id name ... on QuentliCustomer { ... @defer { nxlinkProfile { id fullName tags { tagName } } } }';
      const aliases = Array.from(
        { length: 10 },
        (_, index) => `a${index}: customers(first: 100) { edges { node { ${fields} } } }`,
      );
      gateway.resetRequests();
      const response = await postForParts(gateway.url, `{ ${aliases.join(' ')} }`, 'multipart/mixed');
      const errors = errorsByPart(response.parts).map(({ error }) => error.extensions?.code);
      expect(errors).toEqual(['QUERY_TOO_COMPLEX']);
      expect(gateway.sandbox.quentli.requests.length + gateway.sandbox.nxlink.requests.length).toBe(0);
    });

    it('refuses @defer on a mutation', async () => {
      const response = await gateway.graphql(/* GraphQL */ `
        mutation { ... @defer { createCustomer(input: { name: "Nadie" }) { customer { id } } } }
      `);
      expect(response.errors?.map((error) => error.extensions?.code)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
      expect(response.errors?.[0]?.message).toMatch(/Defer directive cannot be used on root mutation type/);
    });
  });
});

describe('@defer with the deadline and the request lifecycle', () => {
  let gateway: TestGateway;

  beforeAll(async () => {
    // The request's deadline is well below the upstream timeout, so only the deadline can stop a call.
    gateway = await startGatewayWith('', { GATEWAY_REQUEST_TIMEOUT_MS: '800', UPSTREAM_TIMEOUT_MS: '5000' });
  });
  afterAll(() => gateway.close());
  afterEach(() => gateway.sandbox.nxlink.faults.clear());

  it('keeps the deadline for the deferred half after the first part is out', async () => {
    gateway.sandbox.nxlink.faults.set({ latencyMs: 3_000 });
    const response = await postForParts(gateway.url, QUENTLI_FIRST, 'multipart/mixed');
    const last = response.parts.at(-1)!;
    expect(response.parts[0]!.at).toBeLessThan(800);
    expect(last.at).toBeLessThan(2_000);
    expect(last.payload.hasNext).toBe(false);
    const codes = errorsByPart(response.parts).map(({ error }) => error.extensions?.code);
    expect(codes.length).toBeGreaterThan(0);
    expect(new Set(codes)).toEqual(new Set(['UPSTREAM_TIMEOUT']));
  });
});

describe('@defer and a client that leaves after the first part', () => {
  let gateway: TestGateway;

  beforeAll(async () => {
    gateway = await startGatewayWith('', { UPSTREAM_TIMEOUT_MS: '5000' });
  });
  afterAll(() => gateway.close());

  const nxlinkCallsEnded = async () => {
    const text = await (await fetch(`${gateway.url}/metrics`)).text();
    const lines = text.matchAll(/^gateway_upstream_calls_total\{source="NXLINK",[^}]*status="([^"]+)"\} (\S+)$/gm);
    return [...lines].map((match) => [match[1], Number(match[2])]);
  };

  it('ends the request at once: its deferred upstream calls stop, and its log line is written', async () => {
    // The deferred look-ups would take 3 s; the client leaves after the first part.
    gateway.sandbox.nxlink.faults.set({ latencyMs: 3_000 });
    const controller = new AbortController();
    const response = await fetch(`${gateway.url}/graphql`, {
      method: 'POST',
      signal: controller.signal,
      headers: { 'content-type': 'application/json', accept: 'multipart/mixed' },
      body: JSON.stringify({ query: QUENTLI_FIRST }),
    });
    const reader = response.body!.getReader();
    expect(new TextDecoder().decode((await reader.read()).value)).toContain('"quentliCustomers"');
    const left = performance.now();
    controller.abort();
    await expect
      .poll(() => gateway.logs.some((line) => line.includes('"QuentliFirst"')), { timeout: 1_500, interval: 50 })
      .toBe(true);
    // The look-ups in flight were cancelled, not answered: each is counted, none as ok.
    await expect
      .poll(nxlinkCallsEnded, { timeout: 1_500, interval: 50 })
      .toEqual([[expect.not.stringMatching(/^ok$/), expect.any(Number)]]);
    expect(performance.now() - left).toBeLessThan(1_500);
    const line = JSON.parse(gateway.logs.find((text) => text.includes('"QuentliFirst"'))!);
    expect(line.parts).toBeGreaterThanOrEqual(1);
    expect(line.durationMs).toBeLessThan(3_000);
    gateway.sandbox.nxlink.faults.clear();
  });
});

describe('@defer and the API key', () => {
  let open: TestGateway;
  let keyed: TestGateway;
  const KEY = 'defer-test-key-0123456789';

  beforeAll(async () => {
    open = await startGatewayWith('');
    keyed = await startGatewayWith('', { GATEWAY_ALLOW_ANONYMOUS: 'false', GATEWAY_API_KEYS: KEY }, open);
  });
  afterAll(async () => {
    await keyed.close();
    await open.close();
  });

  it('refuses a deferred query without a key before anything runs, and streams it with one', async () => {
    open.resetRequests();
    const refused = await postForParts(keyed.url, DEFERRED, 'multipart/mixed');
    expect(refused.status).toBe(401);
    expect(refused.parts).toEqual([]);
    expect(open.sandbox.quentli.requests.length + open.sandbox.nxlink.requests.length).toBe(0);

    const allowed = await postForParts(keyed.url, DEFERRED, 'multipart/mixed', {
      headers: { authorization: `Bearer ${KEY}` },
    });
    expect(allowed.status).toBe(200);
    expect(allowed.parts.length).toBeGreaterThan(1);
  });
});
