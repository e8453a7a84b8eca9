import { setMaxListeners } from 'node:events';
import { setTimeout as wait } from 'node:timers/promises';
import { SOURCE_LABEL, UpstreamError, type UpstreamSource } from './errors.ts';

/** What one GraphQL request hands to every upstream call it makes. */
export interface CallOptions {
  /** Aborted when the client goes away or the request's deadline passes. */
  signal?: AbortSignal | undefined;
  /** Epoch milliseconds after which no attempt or backoff starts. */
  deadlineAt?: number | undefined;
  /** Told about every attempt, for metrics, traces and the request log. */
  observe?: ((attempt: AttemptRecord) => void) | undefined;
  /** Headers that carry the request's trace to the upstream (W3C `traceparent`); none without tracing. */
  traceHeaders?: (() => Record<string, string>) | undefined;
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

/**
 * The one deadline mechanism: a signal that aborts when `timeoutMs` passes or when the parent
 * signal aborts, whichever comes first, remembering which. The request's deadline (context.ts)
 * and each attempt's timeout (http.ts) are both one; `end` clears the timer and the listener,
 * so nothing finished is held until its deadline.
 */
export class Deadline {
  private readonly controller = new AbortController();
  private readonly timer: NodeJS.Timeout;
  private readonly onParentAbort = () => this.controller.abort(this.parent?.reason);
  timedOut = false;

  constructor(
    readonly parent: AbortSignal | undefined,
    timeoutMs: number,
    reason: string,
  ) {
    // Every upstream call of a request listens to its signal: more than Node's default of 10 is
    // normal (a page of look-ups), not a leak.
    setMaxListeners(0, this.controller.signal);
    this.timer = setTimeout(
      () => {
        this.timedOut = true;
        this.controller.abort(new DOMException(reason, 'TimeoutError'));
      },
      Math.max(0, timeoutMs),
    );
    if (parent?.aborted) this.onParentAbort();
    else parent?.addEventListener('abort', this.onParentAbort, { once: true });
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** Aborted by the parent (the client went away, or an outer deadline), not by this timer. */
  get parentAborted(): boolean {
    return !this.timedOut && this.parent?.aborted === true;
  }

  end(): void {
    clearTimeout(this.timer);
    this.parent?.removeEventListener('abort', this.onParentAbort);
  }
}

/** Milliseconds left before the call's deadline (infinite without one). */
export function remainingMs(call: CallOptions): number {
  return (call.deadlineAt ?? Number.POSITIVE_INFINITY) - Date.now();
}

/**
 * Waits `ms` before the call goes on (a backoff, a Retry-After, the next second of a budget);
 * false, at once or as soon as it happens, when the wait would outlast the deadline or the call
 * is cancelled.
 */
export async function pauseWithin(ms: number, call: CallOptions): Promise<boolean> {
  if (ms >= remainingMs(call) || call.signal?.aborted) return false;
  try {
    await wait(ms, undefined, { signal: call.signal });
    return true;
  } catch {
    return false;
  }
}

/** A call its caller gave up on: the request's deadline passed, or the client went away. */
export function cancelledCallError(
  source: UpstreamSource,
  operation: string,
  signal: AbortSignal,
  error?: unknown,
): UpstreamError {
  const label = SOURCE_LABEL[source];
  if (signal.reason instanceof DOMException && signal.reason.name === 'TimeoutError') {
    return new UpstreamError(
      source,
      'UPSTREAM_TIMEOUT',
      `${label} had not answered when the request's deadline passed (${operation})`,
      {
        cause: error ?? signal.reason,
      },
    );
  }
  return new UpstreamError(
    source,
    'UPSTREAM_TIMEOUT',
    `${label} call was cancelled by the caller before it finished (${operation})`,
    {
      cause: signal.reason ?? error,
    },
  );
}
