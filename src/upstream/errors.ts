export type UpstreamSource = 'QUENTLI' | 'NXLINK';

/**
 * Codes of the public contract for upstream failures, plus UPSTREAM_REJECTED for a 4xx
 * answer that describes the request itself (bad parameter, conflict, validation, not found):
 * mutations turn those into userErrors, queries into a GraphQL error.
 */
export type UpstreamErrorCode =
  | 'UPSTREAM_UNAVAILABLE'
  | 'UPSTREAM_TIMEOUT'
  | 'UPSTREAM_RATE_LIMITED'
  | 'UPSTREAM_AUTH'
  | 'UPSTREAM_BAD_RESPONSE'
  | 'UPSTREAM_REJECTED';

export interface UpstreamErrorDetail {
  path: string[];
  message: string;
}

export interface UpstreamErrorOptions {
  /** HTTP status, or NXLink's `code` when the HTTP status was 200. */
  status?: number;
  /** The upstream's own error code (Quentli `error.code`, e.g. `CONFLICT`). */
  upstreamCode?: string;
  details?: UpstreamErrorDetail[];
  retryAfterMs?: number;
  /** The connection broke after the request went out: the upstream may have acted on it. */
  maybeDelivered?: boolean;
  cause?: unknown;
}

/** The one error type of the upstream layer. Its message never holds a URL, key or signature. */
export class UpstreamError extends Error {
  override readonly name = 'UpstreamError';
  readonly status: number | undefined;
  readonly upstreamCode: string | undefined;
  readonly details: UpstreamErrorDetail[];
  readonly retryAfterMs: number | undefined;
  readonly maybeDelivered: boolean;

  constructor(
    readonly source: UpstreamSource,
    readonly code: UpstreamErrorCode,
    message: string,
    options: UpstreamErrorOptions = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.status = options.status;
    this.upstreamCode = options.upstreamCode;
    this.details = options.details ?? [];
    this.retryAfterMs = options.retryAfterMs;
    this.maybeDelivered = options.maybeDelivered ?? false;
  }
}
