import { speedTrickOn } from '../speed-tricks.ts';
import type { UpstreamSource } from './errors.ts';
import { cancelledCallError, type AttemptRecord, type CallOptions } from './call.ts';

/**
 * In-flight de-duplication of upstream reads (what Apollo Router and Hive Gateway call request
 * de-duplication): identical reads of one upstream (same route, same parameters; a client holds
 * one set of credentials) in flight at the same moment, within this process, share one call and
 * one parsed answer. Writes never come here. An answer is shared only while its call is in
 * flight: the next identical read after it settles makes a call of its own.
 *
 * The shared call belongs to no one request. It is cancelled only when every request waiting
 * for it has gone, it may retry until the latest of their deadlines, and its attempts are
 * observed (metrics, request log, trace) by the request that started it. Each request still
 * stops waiting at its own deadline or cancellation, with the error it would have had alone.
 */
export class ReadSharing {
  private readonly inFlight = new Map<string, SharedRead>();
  private readonly enabled = speedTrickOn('read-deduplication');

  constructor(
    private readonly source: UpstreamSource,
    /** Told about each read that joined a call in flight instead of making its own. */
    private readonly onShared: (source: UpstreamSource) => void = () => {},
  ) {}

  /**
   * `call(options)` reads `key`, or the answer of the identical read already in flight is
   * shared. Its answer must not be changed by those who receive it.
   */
  read<T>(
    key: string,
    operation: string,
    options: CallOptions | undefined,
    call: (options: CallOptions) => Promise<T>,
  ): Promise<T> {
    if (!this.enabled) return call(options ?? {});
    const existing = this.inFlight.get(key);
    if (existing?.join(options)) {
      this.onShared(this.source);
      return this.wait(existing.answer as Promise<T>, operation, options);
    }
    const shared = new SharedRead(options);
    this.inFlight.set(key, shared);
    shared.answer = call(shared.options).finally(() => {
      shared.settle();
      if (this.inFlight.get(key) === shared) this.inFlight.delete(key);
    });
    return this.wait(shared.answer as Promise<T>, operation, options);
  }

  /** The shared answer, unless this request's own signal aborts first. */
  private wait<T>(answer: Promise<T>, operation: string, options: CallOptions | undefined): Promise<T> {
    const signal = options?.signal;
    if (signal === undefined) return answer;
    if (signal.aborted) return Promise.reject(cancelledCallError(this.source, operation, signal));
    return new Promise<T>((resolve, reject) => {
      const onAbort = () => reject(cancelledCallError(this.source, operation, signal));
      signal.addEventListener('abort', onAbort, { once: true });
      answer.then(
        (value) => {
          signal.removeEventListener('abort', onAbort);
          resolve(value);
        },
        (error: unknown) => {
          signal.removeEventListener('abort', onAbort);
          reject(error);
        },
      );
    });
  }
}

/** One call in flight and the requests waiting for it. */
class SharedRead {
  answer: Promise<unknown> = Promise.resolve();
  private readonly controller = new AbortController();
  private waiting = 0;
  /** The listeners on the waiting requests' signals, taken off once the call settles. */
  private readonly departures: { signal: AbortSignal; leave: () => void }[] = [];
  private deadlineAt: number | undefined;
  private readonly observe: ((attempt: AttemptRecord) => void) | undefined;
  private readonly traceHeaders: (() => Record<string, string>) | undefined;

  constructor(first: CallOptions | undefined) {
    this.observe = first?.observe;
    this.traceHeaders = first?.traceHeaders;
    this.deadlineAt = first?.deadlineAt;
    this.join(first);
  }

  /** What the call runs with: cancelled when every waiting request is, until the latest deadline. */
  get options(): CallOptions {
    const read = this;
    return {
      signal: this.controller.signal,
      get deadlineAt() {
        return read.deadlineAt;
      },
      observe: this.observe,
      traceHeaders: this.traceHeaders,
    };
  }

  /** Adds a request; false once the call was cancelled (the request then makes its own). */
  join(options: CallOptions | undefined): boolean {
    if (this.controller.signal.aborted) return false;
    this.waiting += 1;
    // No deadline outlasts all the others.
    if (this.waiting > 1)
      this.deadlineAt =
        options?.deadlineAt === undefined || this.deadlineAt === undefined
          ? undefined
          : Math.max(this.deadlineAt, options.deadlineAt);
    const signal = options?.signal;
    if (signal === undefined) return true;
    const leave = () => {
      this.waiting -= 1;
      if (this.waiting === 0) this.controller.abort(signal.reason);
    };
    if (signal.aborted) leave();
    else {
      signal.addEventListener('abort', leave, { once: true });
      this.departures.push({ signal, leave });
    }
    return true;
  }

  /**
   * The call has settled: no request needs to leave it any more. Without this, each request's
   * signal held every read it had shared (a page of links: 47) until the request ended.
   */
  settle(): void {
    for (const { signal, leave } of this.departures) signal.removeEventListener('abort', leave);
    this.departures.length = 0;
  }
}
