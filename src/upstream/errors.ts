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

const LABEL: Record<UpstreamSource, string> = { QUENTLI: 'Quentli', NXLINK: 'NXLink' };

/**
 * What a client is told of an upstream failure. An error the gateway raised itself, with no
 * answer from the upstream behind it (a timeout, a refused connection, an open circuit, a spent
 * budget), keeps its message: the gateway wrote all of it. Where the upstream answered, the
 * client gets the gateway's own words for the code, never the upstream's text (which may hold
 * internals such as file paths or tokens) nor the gateway's configuration; validation details
 * meant for the caller travel separately (`details`, as userErrors). The full message goes to
 * the request's log line.
 */
export function publicMessage(error: UpstreamError): string {
  const label = LABEL[error.source];
  if (error.status === undefined && error.code !== 'UPSTREAM_AUTH' && error.code !== 'UPSTREAM_BAD_RESPONSE')
    return error.message;
  switch (error.code) {
    case 'UPSTREAM_AUTH':
      return `${label} refused the gateway's credentials; the gateway's operator has been told in its logs.`;
    case 'UPSTREAM_RATE_LIMITED':
      return `${label} is rate limiting the gateway; try again ${
        error.retryAfterMs === undefined ? 'in a moment' : `in ${Math.ceil(error.retryAfterMs / 1000)} s`
      }.`;
    case 'UPSTREAM_TIMEOUT':
      return `${label} did not answer in time; try again in a moment.`;
    case 'UPSTREAM_UNAVAILABLE':
      return `${label} is unavailable; try again in a moment.`;
    case 'UPSTREAM_BAD_RESPONSE':
      return `${label} answered with something the gateway could not read.`;
    case 'UPSTREAM_REJECTED':
      return rejectionMessage(label, error.status);
  }
}

function rejectionMessage(label: string, status: number | undefined): string {
  switch (status) {
    case 404:
      return `${label} has no customer with this id.`;
    case 409:
      return `${label} already has a customer with this username or email.`;
    case 422:
      return `${label} refused the input as invalid.`;
    default:
      return `${label} refused the request.`;
  }
}

/** How each upstream is named in messages. */
export const SOURCE_LABEL: Record<UpstreamSource, string> = {
  QUENTLI: 'Quentli',
  NXLINK: 'NXLink',
};
