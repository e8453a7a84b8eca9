import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../support/gateway.ts';

const LINKED = /* GraphQL */ `
  query Linked {
    customers(first: 5) {
      edges {
        node {
          name
          ... on QuentliCustomer { nxlinkProfile { fullName } }
          ... on NxlinkCustomer { quentliCustomer { username } }
        }
      }
    }
  }
`;

/** Sample lines of one metric, as `labels -> value`. */
function samples(text: string, name: string): Map<string, number> {
  const found = new Map<string, number>();
  for (const line of text.split('\n')) {
    const match = new RegExp(`^${name}(\\{[^}]*\\})? (\\S+)$`).exec(line);
    if (match) found.set(match[1] ?? '', Number(match[2]));
  }
  return found;
}

const sum = (values: Map<string, number>, labelFilter: string) =>
  [...values].filter(([labels]) => labels.includes(labelFilter)).reduce((total, [, value]) => total + value, 0);

describe('/metrics after one query', () => {
  let gateway: TestGateway;
  beforeAll(async () => {
    gateway = await startTestGateway();
  });
  afterAll(() => gateway.close());

  it('shows the operation, its upstream calls, their latency, batch sizes and breaker states', async () => {
    const response = await gateway.graphql(LINKED);
    expect(response.errors).toBeUndefined();
    const quentliCalls = gateway.sandbox.quentli.requests.length;
    const nxlinkCalls = gateway.sandbox.nxlink.requests.length;

    const scrape = await fetch(`${gateway.url}/metrics`);
    expect(scrape.status).toBe(200);
    expect(scrape.headers.get('content-type')).toMatch(/^text\/plain/);
    const text = await scrape.text();

    expect(samples(text, 'gateway_graphql_operations_total')).toEqual(
      new Map([['{operation="Linked",outcome="ok"}', 1]]),
    );
    const calls = samples(text, 'gateway_upstream_calls_total');
    expect(sum(calls, 'source="QUENTLI"')).toBe(quentliCalls);
    expect(sum(calls, 'source="NXLINK"')).toBe(nxlinkCalls);
    expect(calls.get('{source="QUENTLI",route="list customers",status="ok"}')).toBe(quentliCalls);
    const latency = samples(text, 'gateway_upstream_duration_seconds_count');
    expect(sum(latency, 'source="NXLINK"')).toBe(nxlinkCalls);
    // The links of one page: one batch of look-ups per system at most.
    const batches = samples(text, 'gateway_dataloader_batch_size_count');
    const people = ['{loader="people.quentli"}', '{loader="people.nxlink"}'].map((labels) => batches.get(labels) ?? 0);
    expect(people.every((count) => count <= 1)).toBe(true);
    expect(people.some((count) => count === 1)).toBe(true);
    expect(samples(text, 'gateway_circuit_breaker_state')).toEqual(
      new Map([
        ['{source="QUENTLI"}', 0],
        ['{source="NXLINK"}', 0],
      ]),
    );
    expect(samples(text, 'graphql_yoga_http_duration_count').size).toBeGreaterThan(0);
  });
});

interface ExportedSpan {
  name: string;
  spanId: string;
  traceId: string;
  parentSpanId?: string;
  kind: number;
  startTimeUnixNano: string;
  endTimeUnixNano: string;
}

describe('tracing', () => {
  let collector: Server;
  const spans: ExportedSpan[] = [];

  beforeAll(async () => {
    // A loopback OTLP/HTTP collector: keeps every span it is sent.
    collector = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
          resourceSpans: { scopeSpans: { spans: ExportedSpan[] }[] }[];
        };
        for (const resource of body.resourceSpans) for (const scope of resource.scopeSpans) spans.push(...scope.spans);
        response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      });
    });
    await new Promise<void>((resolve) => collector.listen(0, '127.0.0.1', resolve));
  });
  afterAll(() => new Promise<void>((resolve) => collector.close(() => resolve())));

  it('exports a span for the operation and one per upstream call beneath it', async () => {
    const { port } = collector.address() as AddressInfo;
    const gateway = await startTestGateway({ OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${port}` });
    const response = await gateway.graphql(LINKED);
    expect(response.errors).toBeUndefined();
    const upstreamCalls = gateway.sandbox.quentli.requests.length + gateway.sandbox.nxlink.requests.length;
    await gateway.close(); // flushes the spans still buffered

    const operation = spans.find((span) => span.name === 'graphql Linked');
    expect(operation).toBeDefined();
    const children = spans.filter((span) => span.parentSpanId === operation!.spanId);
    expect(children).toHaveLength(upstreamCalls);
    expect(new Set(children.map((span) => span.traceId))).toEqual(new Set([operation!.traceId]));
    expect(children.map((span) => span.name)).toEqual(
      expect.arrayContaining(['QUENTLI list customers', 'NXLINK query customers']),
    );
  });

  it("keeps a deferred query's span open until its last part: the deferred look-ups fall within it", async () => {
    const { port } = collector.address() as AddressInfo;
    const gateway = await startTestGateway({ OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${port}` });
    const deferred = LINKED.replace('query Linked', 'query LinkedLater')
      .replace('nxlinkProfile { fullName }', '... @defer { nxlinkProfile { fullName } }')
      .replace('quentliCustomer { username }', '... @defer { quentliCustomer { username } }');
    const response = await fetch(`${gateway.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'multipart/mixed' },
      body: JSON.stringify({ query: deferred }),
    });
    expect(response.headers.get('content-type')).toMatch(/^multipart\/mixed/);
    expect(await response.text()).toContain('"hasNext":false');
    await gateway.close();

    const operation = spans.find((span) => span.name === 'graphql LinkedLater');
    expect(operation).toBeDefined();
    const children = spans.filter((span) => span.parentSpanId === operation!.spanId);
    expect(children.map((span) => span.name)).toEqual(expect.arrayContaining(['QUENTLI list customers', 'NXLINK query customers']));
    expect(children.length).toBeGreaterThan(2);
    for (const child of children) expect(BigInt(child.endTimeUnixNano) <= BigInt(operation!.endTimeUnixNano), child.name).toBe(true);
  });

});
