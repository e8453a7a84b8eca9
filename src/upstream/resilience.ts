import {
  BrokenCircuitError,
  CircuitState,
  ConsecutiveBreaker,
  circuitBreaker,
  DelegateBackoff,
  ExponentialBackoff,
  handleWhen,
  type IBackoff,
  type IBackoffFactory,
  retry,
} from 'cockatiel';
import type { ResilienceConfig } from '../config.ts';
import { remainingMs, type BreakerState, type CallOptions } from './call.ts';
import { SOURCE_LABEL, UpstreamError, type UpstreamSource } from './errors.ts';
import { isBudgetRefusal, type RateBudget } from './rate-budget.ts';

/** Retry and backoff tuning that is not configuration: the defaults of every upstream. */
export const RETRY_BACKOFF = { initialDelayMs: 50, maxDelayMs: 1_000 } as const;

/** Jittered exponential delays between the attempts of a read (each call walks its own). */
const EXPONENTIAL: IBackoffFactory<unknown> = new ExponentialBackoff({
  initialDelay: RETRY_BACKOFF.initialDelayMs,
  maxDelay: RETRY_BACKOFF.maxDelayMs,
});

/** HTTP statuses (and NXLink codes) of a read that is worth sending again. */
const RETRYABLE_STATUS = new Set([502, 503, 504]);

/**
 * Calls to one upstream through a circuit breaker; reads are retried, writes never.
 *
 * - A read is sent again on a connection error, a per-attempt timeout, 502/503/504 (and NXLink's
 *   500), with jittered exponential backoff, while the request's deadline leaves room.
 * - A 429 is waited out when its Retry-After ends before the deadline; else it is
 *   UPSTREAM_RATE_LIMITED at once.
 * - Consecutive outages open the breaker: calls then fail fast without reaching the upstream
 *   until the cooldown has passed, when one probe call decides whether it closes again.
 */
export interface UpstreamPolicy {
  readonly source: UpstreamSource;
  read<T>(
    operation: string,
    attempt: (signal: AbortSignal | undefined) => Promise<T>,
    options?: CallOptions,
  ): Promise<T>;
  write<T>(
    operation: string,
    attempt: (signal: AbortSignal | undefined) => Promise<T>,
    options?: CallOptions,
  ): Promise<T>;
  breakerState(): BreakerState;
  /** Whether the breaker is open and still cooling down (calls now fail without being sent). */
  failingFast(): boolean;
}

export interface UpstreamPolicyOptions extends ResilienceConfig {
  source: UpstreamSource;
  onBreakerChange?: (state: BreakerState) => void;
  /** Requests per second allowed to this upstream (shared by the replicas); unlimited without. */
  budget?: RateBudget | undefined;
}

export function createUpstreamPolicy(options: UpstreamPolicyOptions): UpstreamPolicy {
  const { source, breakerCooldownMs } = options;
  const label = SOURCE_LABEL[source];
  const breaker = circuitBreaker(handleWhen(isOutage), {
    halfOpenAfter: breakerCooldownMs,
    breaker: new ConsecutiveBreaker(options.breakerThreshold),
  });
  let openedAt = 0;
  breaker.onBreak(() => void (openedAt = Date.now()));
  breaker.onStateChange((state) => options.onBreakerChange?.(stateName(state)));

  async function attemptOnce<T>(
    operation: string,
    number: number,
    attempt: (signal: AbortSignal | undefined) => Promise<T>,
    call: CallOptions,
  ): Promise<T> {
    const startedAt = Date.now();
    const started = performance.now();
    const observe = (status: string, error?: Error) =>
      call.observe?.({
        source,
        operation,
        attempt: number,
        status,
        startedAt,
        durationMs: performance.now() - started,
        ...(error === undefined ? {} : { error: error.message }),
      });
    try {
      // Every attempt that will reach the upstream takes its request from the budget first
      // (an open breaker's refusals do not).
      if (options.budget !== undefined && !failingFast()) await options.budget.take(call);
      const value = await breaker.execute(async () => {
        try {
          return await attempt(call.signal);
        } catch (error) {
          // A call the client cancelled says nothing about the upstream's health.
          throw call.signal?.aborted ? new Cancelled(error) : error;
        }
      });
      observe('ok');
      return value;
    } catch (thrown) {
      const error = thrown instanceof Cancelled ? thrown.error : thrown;
      if (isBudgetRefusal(error)) {
        observe('BUDGET_SPENT');
        throw error;
      }
      if (error instanceof BrokenCircuitError) {
        observe('CIRCUIT_OPEN');
        const waitMs = Math.max(0, openedAt + breakerCooldownMs - Date.now());
        throw new UpstreamError(
          source,
          'UPSTREAM_UNAVAILABLE',
          `${label} is failing: the gateway stopped calling it and tries again in ${Math.ceil(waitMs / 1000)} s (circuit open, ${operation})`,
          { cause: error },
        );
      }
      observe(
        error instanceof UpstreamError ? String(error.status ?? error.code) : 'ERROR',
        error instanceof Error ? error : undefined,
      );
      throw error;
    }
  }

  return {
    source,

    async read(operation, attempt, call = {}) {
      // The retry rules, whole: cockatiel's retry policy runs the attempts (each through the
      // breaker) and waits; `retryable` decides, with this call's deadline in view, whether a
      // failure is sent again and after how long.
      let previous: UpstreamError | undefined;
      let replacement: UpstreamError | undefined;
      let backoff: IBackoff<unknown> | undefined;
      let delayMs = 0;
      const retryable = (error: unknown): boolean => {
        replacement = undefined;
        // A breaker opened by this very sequence: the failure that opened it says more.
        if (previous !== undefined && isCircuitOpen(error)) {
          replacement = previous;
          return false;
        }
        // The gateway's own budget already waited as long as the deadline allows.
        if (!(error instanceof UpstreamError) || isBudgetRefusal(error) || call.signal?.aborted) return false;
        previous = error;
        const leftMs = remainingMs(call);
        if (error.code === 'UPSTREAM_RATE_LIMITED') {
          // Waited out when Retry-After ends before the deadline; refused at once otherwise.
          if (error.retryAfterMs === undefined || error.retryAfterMs >= leftMs) {
            replacement = rateLimited(error, operation);
            return false;
          }
          delayMs = error.retryAfterMs;
          return true;
        }
        if (!isRetryable(error)) return false;
        backoff = backoff === undefined ? EXPONENTIAL.next(undefined) : backoff.next(undefined);
        delayMs = backoff.duration;
        return delayMs < leftMs;
      };
      const retries = retry(handleWhen(retryable), {
        maxAttempts: options.retries,
        backoff: new DelegateBackoff(() => delayMs),
      });
      try {
        return await retries.execute(({ attempt: retried }) => {
          // Cancelled while waiting to retry: the last failure is the answer.
          if (retried > 0 && call.signal?.aborted && previous !== undefined) throw previous;
          return attemptOnce(operation, retried + 1, attempt, call);
        }, call.signal);
      } catch (error) {
        throw replacement ?? error;
      }
    },

    async write(operation, attempt, call = {}) {
      try {
        return await attemptOnce(operation, 1, attempt, call);
      } catch (error) {
        const upstreamLimited =
          error instanceof UpstreamError && error.code === 'UPSTREAM_RATE_LIMITED' && !isBudgetRefusal(error);
        throw upstreamLimited ? rateLimited(error, operation) : error;
      }
    },

    breakerState: () => stateName(breaker.state),
    failingFast,
  };

  function failingFast(): boolean {
    return breaker.state === CircuitState.Open && Date.now() - openedAt < breakerCooldownMs;
  }

  function rateLimited(error: UpstreamError, operation: string): UpstreamError {
    const wait =
      error.retryAfterMs === undefined
        ? ''
        : `; it asks to wait ${Math.ceil(error.retryAfterMs / 1000)} s, longer than this request may take`;
    return new UpstreamError(
      source,
      'UPSTREAM_RATE_LIMITED',
      `${label} is rate limiting the gateway (${operation})${wait}`,
      {
        status: error.status,
        retryAfterMs: error.retryAfterMs,
        cause: error,
      },
    );
  }
}

/** Failures that say the upstream is down or overloaded: they count toward opening the breaker. */
function isOutage(error: unknown): boolean {
  return error instanceof UpstreamError && (error.code === 'UPSTREAM_UNAVAILABLE' || error.code === 'UPSTREAM_TIMEOUT');
}

function isCircuitOpen(error: unknown): boolean {
  return error instanceof UpstreamError && error.cause instanceof BrokenCircuitError;
}

function isRetryable(error: UpstreamError): boolean {
  if (error.code === 'UPSTREAM_TIMEOUT') return true;
  if (error.code !== 'UPSTREAM_UNAVAILABLE') return false;
  if (error.status === undefined) return !isCircuitOpen(error);
  return RETRYABLE_STATUS.has(error.status) || (error.source === 'NXLINK' && error.status === 500);
}

function stateName(state: CircuitState): BreakerState {
  if (state === CircuitState.Closed) return 'closed';
  if (state === CircuitState.HalfOpen) return 'half-open';
  return 'open';
}

/** Carries an error through the breaker without counting it as an outage. */
class Cancelled {
  constructor(readonly error: unknown) {}
}
