import type { IncomingHttpHeaders } from 'node:http';
import { Pool } from 'undici';
import { cancelledCallError, Deadline } from './call.ts';
import {
  SOURCE_LABEL,
  UpstreamError,
  type UpstreamErrorCode,
  type UpstreamErrorDetail,
  type UpstreamSource,
} from './errors.ts';

/** The settings to check when an upstream refuses the gateway's credentials. */
const CREDENTIAL_SETTINGS: Record<UpstreamSource, string> = {
  QUENTLI: 'QUENTLI_API_KEY',
  NXLINK: 'NXLINK_ACCESS_KEY and NXLINK_ACCESS_SECRET',
};

/** Every default of the upstream HTTP layer, in one place. */
export const HTTP_DEFAULTS = {
  connections: 64,
  pipelining: 1,
  keepAliveTimeoutMs: 4_000,
  /** Larger answers are refused rather than buffered: a page is far smaller. */
  maxResponseBytes: 8 * 1024 * 1024,
} as const;

export interface UpstreamHttpOptions {
  source: UpstreamSource;
  /** Origin, optionally with a path prefix; never put credentials in it. */
  baseUrl: string;
  /** Per-attempt budget: headers, body and the whole call each finish within it. */
  timeoutMs: number;
  connections?: number;
}

export interface UpstreamCall {
  /** What the call does, for messages ("list customers"); never holds a value. */
  operation: string;
  method: 'GET' | 'POST' | 'PATCH';
  /** Path and query, starting with `/`. */
  path: string;
  headers: Record<string, string>;
  body?: string;
  signal?: AbortSignal;
}

export interface UpstreamAnswer {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
}

/**
 * One attempt of one call. Every transport failure comes out as an UpstreamError; any HTTP
 * status comes back as an answer for the client to interpret. Retries, when they come, wrap
 * `send` (a signed call must be rebuilt and re-signed per attempt).
 */
export interface UpstreamHttp {
  send(call: UpstreamCall): Promise<UpstreamAnswer>;
  close(): Promise<void>;
}

export function createUpstreamHttp(options: UpstreamHttpOptions): UpstreamHttp {
  const { source, timeoutMs } = options;
  const base = new URL(options.baseUrl);
  const prefix = base.pathname.replace(/\/+$/, '');
  const pool = new Pool(base.origin, {
    connections: options.connections ?? HTTP_DEFAULTS.connections,
    pipelining: HTTP_DEFAULTS.pipelining,
    keepAliveTimeout: HTTP_DEFAULTS.keepAliveTimeoutMs,
    connectTimeout: timeoutMs,
    headersTimeout: timeoutMs,
    bodyTimeout: timeoutMs,
    // Larger answers are cut off by undici as they arrive, rather than buffered.
    maxResponseSize: HTTP_DEFAULTS.maxResponseBytes,
  });

  async function send(call: UpstreamCall): Promise<UpstreamAnswer> {
    const deadline = new Deadline(call.signal, timeoutMs, 'upstream call timed out');
    try {
      const response = await pool.request({
        method: call.method,
        path: prefix + call.path,
        headers: call.headers,
        body: call.body ?? null,
        signal: deadline.signal,
      });
      const text = await response.body.text();
      return { status: response.statusCode, headers: response.headers, text };
    } catch (error) {
      throw transportError(source, call.operation, timeoutMs, deadline, error);
    } finally {
      deadline.end();
    }
  }

  return { send, close: () => pool.close() };
}

interface Failure {
  code: UpstreamErrorCode;
  what: string;
  maybeDelivered?: boolean;
}

/**
 * undici's own messages can hold the host, port or path, so the message is built from the
 * error's code alone and the original is kept as `cause`.
 */
function transportError(
  source: UpstreamSource,
  operation: string,
  timeoutMs: number,
  deadline: Deadline,
  error: unknown,
): UpstreamError {
  const label = SOURCE_LABEL[source];
  if (error instanceof UpstreamError) return error;
  if (deadline.timedOut) {
    return new UpstreamError(
      source,
      'UPSTREAM_TIMEOUT',
      `${label} did not answer within ${timeoutMs} ms (${operation})`,
      { cause: error },
    );
  }
  if (deadline.parentAborted && deadline.parent !== undefined)
    return cancelledCallError(source, operation, deadline.parent, error);
  const failure = classify(error, timeoutMs);
  return new UpstreamError(source, failure.code, `${label} ${failure.what} (${operation})`, {
    maybeDelivered: failure.maybeDelivered,
    cause: error,
  });
}

function classify(error: unknown, timeoutMs: number): Failure {
  const code = errorCode(error);
  switch (code) {
    case 'UND_ERR_RES_EXCEEDED_MAX_SIZE':
      return {
        code: 'UPSTREAM_BAD_RESPONSE',
        what: `sent an answer larger than ${HTTP_DEFAULTS.maxResponseBytes} bytes`,
      };
    case 'UND_ERR_HEADERS_TIMEOUT':
      return { code: 'UPSTREAM_TIMEOUT', what: `sent no response headers within ${timeoutMs} ms` };
    case 'UND_ERR_BODY_TIMEOUT':
      return { code: 'UPSTREAM_TIMEOUT', what: `stalled for ${timeoutMs} ms while sending the body` };
    case 'UND_ERR_CONNECT_TIMEOUT':
      return { code: 'UPSTREAM_UNAVAILABLE', what: `could not be connected to within ${timeoutMs} ms` };
    case 'ECONNREFUSED':
      return { code: 'UPSTREAM_UNAVAILABLE', what: 'refused the connection' };
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return { code: 'UPSTREAM_UNAVAILABLE', what: 'host name could not be resolved' };
    case 'ECONNRESET':
    case 'EPIPE':
    case 'UND_ERR_SOCKET':
      return {
        code: 'UPSTREAM_UNAVAILABLE',
        what: 'closed the connection before answering completely',
        maybeDelivered: true,
      };
    case 'UND_ERR_CLOSED':
    case 'UND_ERR_DESTROYED':
      return { code: 'UPSTREAM_UNAVAILABLE', what: 'client is closed' };
    case 'UND_ERR_RES_CONTENT_LENGTH_MISMATCH':
      return { code: 'UPSTREAM_UNAVAILABLE', what: 'answer ended before its declared length', maybeDelivered: true };
  }
  if (code?.startsWith('HPE_')) {
    return { code: 'UPSTREAM_BAD_RESPONSE', what: 'answered with malformed HTTP' };
  }
  return {
    code: 'UPSTREAM_UNAVAILABLE',
    what: `request failed at the transport level (${code ?? (error instanceof Error ? error.name : 'unknown error')})`,
  };
}

function errorCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null || !('code' in error)) return undefined;
  return typeof error.code === 'string' ? error.code : undefined;
}

/** Retry-After as milliseconds from now: delta-seconds or an HTTP date; undefined if absent. */
export function parseRetryAfter(value: string | string[] | undefined, now: number = Date.now()): number | undefined {
  const text = (Array.isArray(value) ? value[0] : value)?.trim();
  if (!text) return undefined;
  if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
  const date = Date.parse(text);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** What an upstream's error body adds to an HTTP status, when it has one the gateway can read. */
export interface ErrorBody {
  /** The upstream's own error code ("invalid_input"). */
  code?: string | undefined;
  /** Passed on for a refused request (4xx): it names what the upstream refused. */
  message?: string | undefined;
  details?: UpstreamErrorDetail[] | undefined;
}

/**
 * An HTTP answer outside what the caller accepts, as an UpstreamError; the one place where an
 * HTTP status decides the error code, for both upstreams. 401/403 are the gateway's
 * credentials, 429 rate limiting (with Retry-After), any other 4xx a refused request, 5xx an
 * upstream that is unavailable, and anything else an answer of the wrong kind.
 */
export function statusError(
  source: UpstreamSource,
  operation: string,
  answer: UpstreamAnswer,
  expected: string,
  body?: ErrorBody,
): UpstreamError {
  const { status } = answer;
  const label = SOURCE_LABEL[source];
  const upstreamCode = body?.code;
  const shown = `HTTP ${status}${upstreamCode ? ` ${upstreamCode}` : ''}`;
  const base = { status, upstreamCode };
  if (status === 401 || status === 403) {
    return new UpstreamError(
      source,
      'UPSTREAM_AUTH',
      `${label} refused the gateway's credentials (${shown}, ${operation}); check ${CREDENTIAL_SETTINGS[source]}`,
      base,
    );
  }
  if (status === 429) {
    const retryAfterMs = parseRetryAfter(answer.headers['retry-after']);
    const after = retryAfterMs === undefined ? '' : `; retry after ${retryAfterMs} ms`;
    return new UpstreamError(
      source,
      'UPSTREAM_RATE_LIMITED',
      `${label} is rate limiting the gateway (${shown}, ${operation})${after}`,
      {
        ...base,
        retryAfterMs,
      },
    );
  }
  if (status >= 400 && status <= 499) {
    return new UpstreamError(
      source,
      'UPSTREAM_REJECTED',
      body?.message || `${label} refused the request (${shown}, ${operation})`,
      {
        ...base,
        details: body?.details,
      },
    );
  }
  if (status >= 500)
    return new UpstreamError(source, 'UPSTREAM_UNAVAILABLE', `${label} failed to ${operation} (${shown})`, base);
  return new UpstreamError(
    source,
    'UPSTREAM_BAD_RESPONSE',
    `${label} answered ${shown} to ${operation}; expected ${expected}`,
    base,
  );
}
