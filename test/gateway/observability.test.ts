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
    expect(operation?.kind).toBe(2); // SPAN_KIND_SERVER
    expect(operation?.parentSpanId ?? '').toBe(''); // a root: the request carried no traceparent
    const children = spans.filter((span) => span.parentSpanId === operation!.spanId);
    expect(children).toHaveLength(upstreamCalls);
    expect(new Set(children.map((span) => span.traceId))).toEqual(new Set([operation!.traceId]));
    expect(children.map((span) => span.name)).toEqual(
      expect.arrayContaining(['QUENTLI list customers', 'NXLINK query customers']),
    );
  });

  it("continues the caller's W3C trace through the gateway's spans to the headers each upstream received", async () => {
    const { port } = collector.address() as AddressInfo;
    const gateway = await startTestGateway({ OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${port}` });
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    const callerSpanId = '00f067aa0ba902b7';
    const response = await gateway.graphql(LINKED, undefined, {
      traceparent: `00-${traceId}-${callerSpanId}-01`,
      tracestate: 'app=checkout',
    });
    // NXLink answered, so its signature still verified with the trace headers added.
    expect(response.errors).toBeUndefined();
    const received = [...gateway.sandbox.quentli.requests, ...gateway.sandbox.nxlink.requests];
    await gateway.close(); // flushes the spans still buffered

    const operation = spans.find((span) => span.name === 'graphql Linked' && span.traceId === traceId);
    expect(operation?.parentSpanId).toBe(callerSpanId);
    const children = spans.filter((span) => span.parentSpanId === operation!.spanId);
    expect(children).toHaveLength(received.length);
    expect(new Set(children.map((span) => span.traceId))).toEqual(new Set([traceId]));
    // Every upstream request carried the same trace, with the operation span as its parent.
    expect(received.length).toBeGreaterThanOrEqual(2);
    expect(new Set(received.map((request) => request.headers.traceparent))).toEqual(
      new Set([`00-${traceId}-${operation!.spanId}-01`]),
    );
    expect(new Set(received.map((request) => request.headers.tracestate))).toEqual(new Set(['app=checkout']));
  });

  it('starts a new trace for a request without traceparent, and sends it upstream', async () => {
    const { port } = collector.address() as AddressInfo;
    const gateway = await startTestGateway({ OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${port}` });
    const before = spans.length;
    const response = await gateway.graphql('query Solo { quentliCustomers(first: 1) { edges { node { id } } } }');
    expect(response.errors).toBeUndefined();
    const received = gateway.sandbox.quentli.requests;
    await gateway.close();
    const operation = spans.slice(before).find((span) => span.name === 'graphql Solo');
    expect(operation?.parentSpanId ?? '').toBe('');
    expect(received.map((request) => request.headers.traceparent)).toEqual([
      `00-${operation!.traceId}-${operation!.spanId}-01`,
    ]);
  });

  it('sends no trace headers upstream when tracing is off, whatever the caller sent', async () => {
    const gateway = await startTestGateway();
    const response = await gateway.graphql('{ quentliCustomers(first: 1) { edges { node { id } } } }', undefined, {
      traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
    });
    expect(response.errors).toBeUndefined();
    const received = gateway.sandbox.quentli.requests;
    await gateway.close();
    expect(received).toHaveLength(1);
    expect(received[0]!.headers.traceparent).toBeUndefined();
  });

  it("keeps a deferred query's span open until its last part: the deferred look-ups fall within it", async () => {
    const { port } = collector.address() as AddressInfo;
    const gateway = await startTestGateway({ OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${port}` });
    // The deferred NXLink look-ups end 40 ms after the first part: a span that ended with the
    // first part would end long before them.
    gateway.sandbox.nxlink.faults.set({ latencyMs: 40 });
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
    expect(children.map((span) => span.name)).toEqual(
      expect.arrayContaining(['QUENTLI list customers', 'NXLINK query customers']),
    );
    expect(children.length).toBeGreaterThan(2);
    // Each span's times are anchored to Date.now() (whole milliseconds) when it starts, so two
    // spans' ends compare to within a millisecond.
    const clockGrain = 1_000_000n;
    for (const child of children)
      expect(BigInt(child.endTimeUnixNano) <= BigInt(operation!.endTimeUnixNano) + clockGrain, child.name).toBe(true);
  });
});
