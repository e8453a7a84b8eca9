import { createHash } from 'node:crypto';
import { startSandbox, type Sandbox, type SandboxOptions } from '../../src/sandbox/index.ts';
import { parseJson64 } from '../../src/upstream/nxlink/json64.ts';

export const QUENTLI_KEY = 'sk_test_quentli';
export const NXLINK = {
  accessKey: 'test-access-key',
  accessSecret: 'test-access-secret',
  tenantId: '9007199254740993',
  appKey: 'test-app',
  timeZone: 'America/Mexico_City',
};
export const QUERY_PATH = '/saas/cdp/openapi/customers/query';

/**
 * The environment of a gateway pointed at `sandbox` as at a production upstream: base URLs and
 * the credentials above, NXLink's zone given (the sandbox's own by default).
 */
export function upstreamEnvironment(sandbox: Sandbox, timeZone = NXLINK.timeZone): Record<string, string> {
  return {
    QUENTLI_BASE_URL: sandbox.quentli.url,
    QUENTLI_API_KEY: QUENTLI_KEY,
    NXLINK_BASE_URL: sandbox.nxlink.url,
    NXLINK_ACCESS_KEY: NXLINK.accessKey,
    NXLINK_ACCESS_SECRET: NXLINK.accessSecret,
    NXLINK_TENANT_ID: NXLINK.tenantId,
    NXLINK_APP_KEY: NXLINK.appKey,
    NXLINK_TIME_ZONE: timeZone,
  };
}

export function start(overrides: Partial<SandboxOptions> = {}): Promise<Sandbox> {
  return startSandbox({ quentliApiKey: QUENTLI_KEY, nxlink: NXLINK, customersPerSource: 120, ...overrides });
}

export interface Answer<T = unknown> {
  status: number;
  headers: Headers;
  text: string;
  json: T;
}

async function answer<T>(response: Response): Promise<Answer<T>> {
  const text = await response.text();
  let json: unknown;
  try {
    // Integers beyond 2^53 become bigints (exact); everything else stays a number.
    json = parseJson64(text);
  } catch {
    json = undefined;
  }
  return { status: response.status, headers: response.headers, text, json: json as T };
}

/** GET /v1/customers with the query string as given (already encoded). */
export async function quentliList<T = Record<string, unknown>[]>(
  sandbox: Sandbox,
  query = '',
  headers: Record<string, string> = { authorization: `Bearer ${QUENTLI_KEY}` },
): Promise<Answer<T>> {
  return answer<T>(await fetch(`${sandbox.quentli.url}/v1/customers${query === '' ? '' : `?${query}`}`, { headers }));
}

/** A `filter`/`orderBy` parameter whose value is the qs text, URL-encoded as a whole. */
export function param(name: string, qsText: string): string {
  return `${name}=${encodeURIComponent(qsText)}`;
}

export async function quentliWrite<T = Record<string, unknown>>(
  sandbox: Sandbox,
  method: 'POST' | 'PATCH',
  path: string,
  body: string,
): Promise<Answer<T>> {
  const response = await fetch(`${sandbox.quentli.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${QUENTLI_KEY}`, 'content-type': 'application/json' },
    body,
  });
  return answer<T>(response);
}

/** Computed here, independently of the sandbox's own code. */
export function md5Sign(accessKey: string, ts: string, body: string, secret: string): string {
  return createHash('md5')
    .update(`accessKey=${accessKey}&action=mt&bizType=2&ts=${ts}&body=${body}&accessSecret=${secret}`)
    .digest('hex');
}

export interface SignOptions {
  ts?: string;
  secret?: string;
  accessKey?: string;
  headers?: Record<string, string>;
}

export async function nxlinkQuery<T = NxlinkAnswer>(
  sandbox: Sandbox,
  body: string,
  options: SignOptions = {},
): Promise<Answer<T>> {
  const ts = options.ts ?? String(Date.now());
  const accessKey = options.accessKey ?? NXLINK.accessKey;
  const response = await fetch(`${sandbox.nxlink.url}${QUERY_PATH}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accessKey,
      ts,
      bizType: '2',
      action: 'mt',
      sign: md5Sign(accessKey, ts, body, options.secret ?? NXLINK.accessSecret),
      ...options.headers,
    },
    body,
  });
  return answer<T>(response);
}

/** A body with bare 64-bit integers, written by hand so no JSON.stringify rounds them. */
export function nxlinkBody(fields: Record<string, string | number | bigint | null | object> = {}): string {
  const all = { tenant_id: BigInt(NXLINK.tenantId), app_key: NXLINK.appKey, limit: 50, ...fields };
  return `{${Object.entries(all)
    .map(([key, value]) => `${JSON.stringify(key)}:${encode(value)}`)
    .join(',')}}`;
}

function encode(value: unknown): string {
  if (typeof value === 'bigint') return value.toString();
  if (Array.isArray(value)) return `[${value.map(encode).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    return `{${Object.entries(value)
      .map(([k, v]) => `${JSON.stringify(k)}:${encode(v)}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

export interface NxlinkPagingAnswer {
  after: bigint | null;
  before: bigint | null;
  previous: bigint | null;
  next: bigint | null;
}

export interface NxlinkAnswer {
  code: number;
  message: string | null;
  traceId: string;
  data: { paging: NxlinkPagingAnswer; customer_list: (Record<string, unknown> & { id: bigint })[] } | null;
}
