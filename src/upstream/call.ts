import type { UpstreamSource } from './errors.ts';

/** What one GraphQL request hands to every upstream call it makes. */
export interface CallOptions {
  /** Aborted when the client goes away or the request's deadline passes. */
  signal?: AbortSignal | undefined;
  /** Epoch milliseconds after which no attempt or backoff starts. */
  deadlineAt?: number | undefined;
  /** Told about every attempt, for metrics, traces and the request log. */
  observe?: ((attempt: AttemptRecord) => void) | undefined;
}

/** One attempt of one upstream call, as observed. */
export interface AttemptRecord {
  source: UpstreamSource;
  /** What the call does ("list customers"): a bounded set, fit for a metric label. */
  operation: string;
  /** 1 for the first attempt. */
  attempt: number;
  /** `ok`, the HTTP status (or NXLink code) of a failure, or the error code without one. */
  status: string;
  startedAt: number;
  durationMs: number;
  /** Why a failed attempt failed, for the request's log line: the gateway's text, never a client's. */
  error?: string;
}

export type BreakerState = 'closed' | 'half-open' | 'open';
