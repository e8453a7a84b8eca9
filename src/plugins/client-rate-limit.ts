import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { SharedRedis } from '../shared/redis.ts';

/** Requests one client (a gateway key, or an address for anonymous access) may send. */
export interface ClientRateLimiter {
  /** Counts one request of `client`; says how long to wait when its minute's budget is spent. */
  take(client: string): Promise<{ retryAfterS: number; limit: number } | undefined>;
}

export interface ClientRateLimitOptions {
  perMinute: number;
  /** Counts shared by every replica; in-process counts without it. */
  redis?: SharedRedis | undefined;
  keyPrefix: string;
  /** Replicas of the deployment: while Redis is away each allows perMinute / replicas alone. */
  replicas: number;
}

const WINDOW_S = 60;

export function createClientRateLimiter(options: ClientRateLimitOptions): ClientRateLimiter {
  const { perMinute, redis, replicas } = options;
  const keyPrefix = `${options.keyPrefix}clients`;
  const insurance = new RateLimiterMemory({
    points: Math.max(1, Math.floor(perMinute / replicas)),
    duration: WINDOW_S,
    keyPrefix,
  });
  const limiter: RateLimiterAbstract =
    redis === undefined
      ? new RateLimiterMemory({ points: perMinute, duration: WINDOW_S, keyPrefix })
      : new RateLimiterRedis({
          storeClient: redis.client,
          points: perMinute,
          duration: WINDOW_S,
          keyPrefix,
          rejectIfRedisNotReady: true,
          insuranceLimiter: insurance,
        });
  return {
    take: async (client) => {
      try {
        await limiter.consume(client);
        return undefined;
      } catch (rejection) {
        // A store failure the insurance limiter could not cover lets the request through: the
        // gateway's own bookkeeping never refuses a client.
        if (!(rejection instanceof RateLimiterRes)) return undefined;
        return { retryAfterS: Math.max(1, Math.ceil(rejection.msBeforeNext / 1000)), limit: perMinute };
      }
    },
  };
}
