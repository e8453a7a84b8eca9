import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { GatewayMetrics } from '../observability/metrics.ts';
import type { SharedRedis } from '../shared/redis.ts';
import { pauseWithin, type CallOptions } from './call.ts';
import { SOURCE_LABEL, UpstreamError, type UpstreamSource } from './errors.ts';

/**
 * Requests per second to one upstream, counted for all replicas together. Every attempt (each
 * retry too) takes one request before it is sent; when the second's budget is spent the attempt
 * waits for the next second while the request's deadline allows, else it is refused with
 * UPSTREAM_RATE_LIMITED without reaching the upstream.
 */
export interface RateBudget {
  readonly maxRps: number;
  take(call: CallOptions): Promise<void>;
}

export interface RateBudgetOptions {
  source: UpstreamSource;
  maxRps: number;
  /** Shared counters; in-process counters without it. */
  redis?: SharedRedis | undefined;
  keyPrefix: string;
  /** Replicas sharing the budget: while Redis is away each one allows maxRps / replicas alone. */
  replicas: number;
  metrics: GatewayMetrics;
}

/**
 * Windows are slices of whole wall-clock seconds: up to ten per second, each allowing its share
 * of the budget (the shares of one second add up to the budget exactly). The key names the
 * slice, so every replica counts into the same window; and a second's budget is spread over the
 * second instead of leaving as one burst, which would queue in the connection pools and reach
 * the upstream partly in the next second, on top of that second's budget.
 */
const SECOND_MS = 1_000;
const MAX_SLICES = 10;
/** A key outlives its slice a little, then Redis drops it. */
const KEY_LIFETIME_S = 2;
/**
 * No request starts in the last moments of a second: counted in one second, it would reach the
 * upstream in the next.
 */
const GUARD_MS = 50;

export function createRateBudget(options: RateBudgetOptions): RateBudget {
  const { source, maxRps, redis, metrics } = options;
  const keyPrefix = `${options.keyPrefix}budget:${source.toLowerCase()}`;
  const slices = Math.min(maxRps, MAX_SLICES);
  const sliceMs = SECOND_MS / slices;
  /** Requests slice k of a second allows: shares that add up to maxRps over the second. */
  const share = (k: number) => Math.floor(((k + 1) * maxRps) / slices) - Math.floor((k * maxRps) / slices);
  const limiters = (points: (k: number) => number) =>
    Array.from(
      { length: slices },
      (_, k) => new RateLimiterMemory({ points: points(k), duration: KEY_LIFETIME_S, keyPrefix }),
    );
  const insurance = limiters((k) => Math.max(1, Math.floor(share(k) / options.replicas)));
  const perSlice: RateLimiterAbstract[] =
    redis === undefined
      ? limiters(share)
      : Array.from(
          { length: slices },
          (_, k) =>
            new RateLimiterRedis({
              storeClient: redis.client,
              points: share(k),
              duration: KEY_LIFETIME_S,
              keyPrefix,
              // Redis away (or not ready): count in-process, on this replica's share.
              rejectIfRedisNotReady: true,
              insuranceLimiter: insurance[k],
            }),
        );

  return {
    maxRps,
    async take(call) {
      for (;;) {
        const now = Date.now();
        const second = Math.floor(now / SECOND_MS);
        const into = now - second * SECOND_MS;
        const k = Math.min(slices - 1, Math.floor(into / sliceMs));
        if (into < SECOND_MS - GUARD_MS) {
          try {
            await perSlice[k]!.consume(`${second}.${k}`);
            return;
          } catch (rejection) {
            // Anything but "spent" is a store failure the insurance limiter could not cover: let
            // the call through rather than fail a request over the gateway's own bookkeeping.
            if (!(rejection instanceof RateLimiterRes)) return;
          }
        }
        // Spent, or too late in the second: the next slice starts afresh. A little jitter
        // spreads the waiters.
        const waitMs = Math.ceil(second * SECOND_MS + (k + 1) * sliceMs - Date.now()) + Math.floor(Math.random() * 10);
        metrics.budgetWaits.inc({ source });
        // Waits while the request's deadline leaves room; refused otherwise.
        if (!(await pauseWithin(Math.max(1, waitMs), call))) throw refusal(waitMs);
      }
    },
  };

  function refusal(waitMs: number): UpstreamError {
    metrics.budgetRefusals.inc({ source });
    return new UpstreamError(
      source,
      'UPSTREAM_RATE_LIMITED',
      `The gateway's request budget for ${SOURCE_LABEL[source]} (${maxRps} per second, shared by every replica) is spent until after this request's deadline`,
      { retryAfterMs: Math.max(0, waitMs), cause: BUDGET_SPENT },
    );
  }
}

/** The cause of a refusal by the gateway's own budget: the upstream was never called. */
export const BUDGET_SPENT = Symbol('upstream request budget spent');

export function isBudgetRefusal(error: unknown): boolean {
  return error instanceof UpstreamError && error.cause === BUDGET_SPENT;
}
