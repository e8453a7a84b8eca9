import { percentile, type HttpCall } from './load.ts';
import { graphqlCall, QUERIES, scenario } from './scenarios.ts';

/**
 * `customers(first: 50)` with both links deferred, over multipart/mixed, beside the same query
 * without `@defer` (QUERIES.customersPage): when the first part (the page) and the last (the
 * links) arrive, one client, requests one after another, the two queries alternating so that
 * the machine's drift hits both alike. The upstream round trip is measured in the same run,
 * directly against the sandbox: issue 18's target is the first part after one round trip.
 */
export interface DeferredFigures {
  upstreamLatencyMs: number;
  requests: number;
  /** p50 of the slower of a direct Quentli and a direct NXLink list call. */
  roundTripMs: number;
  directQuentliP50Ms: number;
  directNxlinkP50Ms: number;
  firstPartP50Ms: number;
  firstPartP99Ms: number;
  lastPartP50Ms: number;
  lastPartP99Ms: number;
  /** The same query without `@defer`, answered whole. */
  wholeP50Ms: number;
  wholeP99Ms: number;
  /** Parts per deferred answer (the first included), the median. */
  partsP50: number;
}

export const DEFERRED_CUSTOMERS_PAGE = QUERIES.customersPage
  .replace('query CustomersPage', 'query CustomersPageDeferred')
  .replace('nxlinkProfile { id fullName }', '... @defer { nxlinkProfile { id fullName } }')
  .replace('quentliCustomer { id username }', '... @defer { quentliCustomer { id username } }');

const WARMUP_REQUESTS = 5;

export async function measureDeferred(
  urls: { gatewayUrl: string; quentliUrl: string; nxlinkUrl: string },
  upstreamLatencyMs: number,
  requests: number,
): Promise<DeferredFigures> {
  if (
    !DEFERRED_CUSTOMERS_PAGE.includes('@defer { nxlinkProfile') ||
    !DEFERRED_CUSTOMERS_PAGE.includes('@defer { quentliCustomer')
  ) {
    throw new Error('The deferred scenario no longer matches QUERIES.customersPage');
  }
  const deferred = {
    ...graphqlCall(DEFERRED_CUSTOMERS_PAGE),
    headers: { ...graphqlCall('').headers, accept: 'multipart/mixed' },
  };
  const whole = graphqlCall(QUERIES.customersPage);
  const directQuentli = scenario('direct-quentli');
  const directNxlink = scenario('direct-nxlink');
  for (let i = 0; i < WARMUP_REQUESTS; i += 1) {
    await timeParts(urls.gatewayUrl, deferred);
    await timeWhole(urls.gatewayUrl, whole);
  }
  const first: number[] = [];
  const last: number[] = [];
  const parts: number[] = [];
  const wholes: number[] = [];
  const quentli: number[] = [];
  const nxlink: number[] = [];
  for (let i = 0; i < requests; i += 1) {
    const timing = await timeParts(urls.gatewayUrl, deferred);
    first.push(timing.firstMs);
    last.push(timing.lastMs);
    parts.push(timing.parts);
    wholes.push(await timeWhole(urls.gatewayUrl, whole));
    quentli.push(await timeWhole(urls.quentliUrl, directQuentli.call, directQuentli.verify));
    nxlink.push(await timeWhole(urls.nxlinkUrl, directNxlink.refresh?.() ?? directNxlink.call, directNxlink.verify));
  }
  const p50 = (values: number[]) => percentile(values, 50);
  const p99 = (values: number[]) => percentile(values, 99);
  return {
    upstreamLatencyMs,
    requests,
    roundTripMs: Math.max(p50(quentli), p50(nxlink)),
    directQuentliP50Ms: p50(quentli),
    directNxlinkP50Ms: p50(nxlink),
    firstPartP50Ms: p50(first),
    firstPartP99Ms: p99(first),
    lastPartP50Ms: p50(last),
    lastPartP99Ms: p99(last),
    wholeP50Ms: p50(wholes),
    wholeP99Ms: p99(wholes),
    partsP50: p50(parts),
  };
}

/** Reads a multipart/mixed answer as it arrives: when its first part was whole, and its last. */
async function timeParts(origin: string, call: HttpCall): Promise<{ firstMs: number; lastMs: number; parts: number }> {
  const started = performance.now();
  const response = await fetch(`${origin}${call.path}`, {
    method: call.method,
    headers: call.headers,
    body: call.body,
  });
  if (!response.ok || !response.headers.get('content-type')?.startsWith('multipart/mixed')) {
    throw new Error(
      `The deferred query answered ${response.status} ${response.headers.get('content-type')}: ${(await response.text()).slice(0, 300)}`,
    );
  }
  const decoder = new TextDecoder();
  let text = '';
  let firstMs: number | undefined;
  // The body opens with a boundary; each part ends with the next one.
  const boundaries = () => text.split('\r\n---').length - 1;
  for await (const chunk of response.body ?? []) {
    text += decoder.decode(chunk as Uint8Array, { stream: true });
    if (firstMs === undefined && boundaries() >= 2) firstMs = performance.now() - started;
  }
  const lastMs = performance.now() - started;
  if (text.includes('"errors"') || !text.includes('"hasNext":false') || firstMs === undefined) {
    throw new Error(`The deferred query's parts are not a whole answer without errors: ${text.slice(0, 300)}`);
  }
  return { firstMs, lastMs, parts: boundaries() - 1 };
}

const isWholeData = (body: string) => body.startsWith('{"data"') && !body.includes('"errors"');

async function timeWhole(
  origin: string,
  call: HttpCall,
  verify: (body: string) => boolean = isWholeData,
): Promise<number> {
  const started = performance.now();
  const response = await fetch(`${origin}${call.path}`, {
    method: call.method,
    headers: call.headers,
    ...(call.body === undefined ? {} : { body: call.body }),
  });
  const body = await response.text();
  const ms = performance.now() - started;
  if (!response.ok || !verify(body))
    throw new Error(`${call.method} ${origin}${call.path} answered ${response.status}: ${body.slice(0, 300)}`);
  return ms;
}
