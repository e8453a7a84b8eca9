import { LRUCache } from 'lru-cache';
import type { Logger } from '../observability/logger.ts';
import type { GatewayMetrics } from '../observability/metrics.ts';
import type { NxlinkCustomerRecord } from '../upstream/nxlink/records.ts';
import type { QuentliCustomerRecord } from '../upstream/quentli/records.ts';
import type { SharedRedis } from './redis.ts';

/** What each cache holds; null is a cached "no such customer". */
export interface CachedValues {
  'quentli.byId': QuentliCustomerRecord | null;
  'nxlink.byId': NxlinkCustomerRecord | null;
}
export type CacheName = keyof CachedValues;

/** One entry, named by cache and key (for invalidation). */
export interface CacheEntryRef {
  cache: CacheName;
  key: string;
}

/**
 * Look-ups that are safe to reuse across requests for a short while, shared by the replicas.
 *
 * With Redis up, Redis is the only tier: every replica reads what any replica stored, and an
 * invalidation (a DEL) is seen by all of them at once, so there is no in-process copy that could
 * go stale. Without Redis, or while it is away, an in-process LRU serves instead; it is emptied
 * whenever Redis (re)connects, because writes on other replicas could not reach it meanwhile.
 *
 * Records are stored as JSON: every field is a string, number, boolean, null, array or plain
 * object (NXLink's 64-bit ids are decimal strings), so they round-trip exactly. Keys carry a
 * format version, so a future record shape never reads an old one.
 *
 * No method throws: a Redis failure is a miss (reads) or a no-op (writes).
 */
export interface SharedCache {
  readonly enabled: boolean;
  getMany<N extends CacheName>(cache: N, keys: readonly string[]): Promise<(CachedValues[N] | undefined)[]>;
  setMany<N extends CacheName>(cache: N, entries: readonly (readonly [string, CachedValues[N]])[]): Promise<void>;
  /** Drops entries for every replica; resolves once Redis confirmed (or failed). */
  invalidate(entries: readonly CacheEntryRef[]): Promise<void>;
}

export interface SharedCacheOptions {
  ttlMs: number;
  maxEntries: number;
  redis?: SharedRedis | undefined;
  keyPrefix: string;
  metrics: GatewayMetrics;
  logger: Logger;
}

const FORMAT_VERSION = 'v1';

export function createSharedCache(options: SharedCacheOptions): SharedCache {
  const { ttlMs, redis, metrics, logger } = options;
  if (ttlMs === 0) return NO_CACHE;
  const local = new LRUCache<string, { value: unknown }>({ max: options.maxEntries, ttl: ttlMs });
  const redisKey = (cache: CacheName, key: string) => `${options.keyPrefix}cache:${FORMAT_VERSION}:${cache}:${key}`;
  const localKey = (cache: CacheName, key: string) => `${cache}\u0000${key}`;
  redis?.onReconnect(() => local.clear());
  const redisUp = () => redis !== undefined && redis.status() === 'up';
  let failureLogged = false;
  const redisFailed = (what: string, error: unknown) => {
    if (failureLogged) return;
    failureLogged = true;
    logger.warn(
      { error: error instanceof Error ? error.name : 'unknown' },
      `shared cache: Redis ${what} failed; answering from upstream meanwhile`,
    );
  };

  const count = (cache: CacheName, tier: string, hits: number, misses: number) => {
    if (hits > 0) metrics.cacheLookups.inc({ cache, tier, result: 'hit' }, hits);
    if (misses > 0) metrics.cacheLookups.inc({ cache, tier, result: 'miss' }, misses);
  };

  return {
    enabled: true,

    async getMany<N extends CacheName>(cache: N, keys: readonly string[]) {
      if (keys.length === 0) return [];
      if (redis !== undefined && redisUp()) {
        try {
          const texts = await redis.client.mget(keys.map((key) => redisKey(cache, key)));
          failureLogged = false;
          const values = texts.map((text) =>
            text === null ? undefined : (JSON.parse(text) as { value: CachedValues[N] }).value,
          );
          const hits = values.filter((value) => value !== undefined).length;
          count(cache, 'redis', hits, keys.length - hits);
          return values;
        } catch (error) {
          redisFailed('read', error);
          count(cache, 'redis', 0, keys.length);
          return keys.map(() => undefined);
        }
      }
      const values = keys.map((key) => local.get(localKey(cache, key))?.value as CachedValues[N] | undefined);
      const hits = values.filter((value) => value !== undefined).length;
      count(cache, 'memory', hits, keys.length - hits);
      return values;
    },

    async setMany(cache, entries) {
      if (entries.length === 0) return;
      if (redis !== undefined && redisUp()) {
        const pipeline = redis.client.pipeline();
        for (const [key, value] of entries) pipeline.set(redisKey(cache, key), JSON.stringify({ value }), 'PX', ttlMs);
        try {
          await pipeline.exec();
        } catch (error) {
          redisFailed('write', error);
        }
        return;
      }
      for (const [key, value] of entries) local.set(localKey(cache, key), { value });
    },

    async invalidate(entries) {
      for (const { cache, key } of entries) local.delete(localKey(cache, key));
      if (redis === undefined || entries.length === 0) return;
      try {
        await redis.client.del(entries.map(({ cache, key }) => redisKey(cache, key)));
      } catch (error) {
        // Redis is away: the other replicas serve from their own tiers, emptied when it returns.
        redisFailed('invalidation', error);
      }
    },
  };
}

/** The cache turned off (CACHE_TTL_MS=0), and the default of loaders built without one. */
export const NO_CACHE: SharedCache = {
  enabled: false,
  getMany: async (_cache, keys) => keys.map(() => undefined),
  setMany: async () => {},
  invalidate: async () => {},
};
