import { LRUCache } from 'lru-cache';
import type { PersistedDocuments } from '../limits.ts';
import type { Logger } from '../observability/logger.ts';
import type { SharedRedis } from './redis.ts';

/** A document known by its hash never changes; a removed hash stops working within this time. */
const KNOWN_DOCUMENT_TTL_MS = 60_000;

/**
 * The persisted-documents allow-list kept in a Redis hash (field: hash, value: document), so a
 * deployment adds operations with `HSET` and every replica sees them, no restart. Documents of a
 * file (GATEWAY_PERSISTED_DOCUMENTS), when one is configured too, are allowed as well.
 *
 * Fails closed: while Redis is away only the documents seen recently (and the file's) run; any
 * other is refused as unknown, never let through.
 */
export function redisPersistedDocuments(
  redis: SharedRedis,
  hashName: string,
  logger: Logger,
  file?: ReadonlyMap<string, string>,
): PersistedDocuments {
  const known = new LRUCache<string, string>({ max: 5_000, ttl: KNOWN_DOCUMENT_TTL_MS });
  return {
    async get(hash) {
      const fromFile = file?.get(hash);
      if (fromFile !== undefined) return fromFile;
      if (redis.status() === 'up') {
        try {
          const document = await redis.client.hget(hashName, hash);
          if (document === null) {
            known.delete(hash);
            return undefined;
          }
          known.set(hash, document);
          return document;
        } catch (error) {
          logger.warn(
            { error: error instanceof Error ? error.name : 'unknown' },
            'persisted documents: Redis look-up failed',
          );
        }
      }
      return known.get(hash, { allowStale: false });
    },
  };
}
