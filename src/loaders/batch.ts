import type { CachedValues, CacheName, SharedCache } from '../shared/cache.ts';

/** Told the size of every batch a loader sends (for the batch-size histogram). */
export type BatchObserver = (loader: string, size: number) => void;

/**
 * DataLoader wants one answer per key, in key order, with an Error in place of each failure:
 * one failed upstream call must not fail the keys that other calls answered.
 */
export async function settleEach<K, V>(keys: readonly K[], load: (key: K) => Promise<V>): Promise<(V | Error)[]> {
  const results = await Promise.allSettled(keys.map(load));
  return results.map((result) => (result.status === 'fulfilled' ? result.value : toError(result.reason)));
}

/** Answers of a batched look-up in key order; null for keys the upstream did not return. */
export function inKeyOrder<K, V>(keys: readonly K[], values: Iterable<V>, keyOf: (value: V) => K): (V | null)[] {
  const byKey = new Map<K, V>();
  for (const value of values) byKey.set(keyOf(value), value);
  return keys.map((key) => byKey.get(key) ?? null);
}

function toError(reason: unknown): Error {
  return reason instanceof Error ? reason : new Error(String(reason));
}

/**
 * A look-up batch through the shared cache: cached keys are answered from it, the rest loaded
 * (`load` answers the keys it is given, in order) and their answers, failures excepted, stored.
 */
export async function throughCache<N extends CacheName>(
  cache: SharedCache,
  name: N,
  keys: readonly string[],
  load: (missing: string[]) => Promise<(CachedValues[N] | Error)[]>,
): Promise<(CachedValues[N] | Error)[]> {
  if (!cache.enabled) return load([...keys]);
  const cached = await cache.getMany(name, keys);
  const missing = keys.filter((_key, index) => cached[index] === undefined);
  if (missing.length === 0) return cached as CachedValues[N][];
  const loaded = await load(missing);
  const fresh = new Map<string, CachedValues[N] | Error>(
    missing.map((key, index) => [
      key,
      index < loaded.length ? (loaded[index] as CachedValues[N] | Error) : new Error(`no answer for ${key}`),
    ]),
  );
  await cache.setMany(
    name,
    [...fresh].filter((entry): entry is [string, CachedValues[N]] => !(entry[1] instanceof Error)),
  );
  return keys.map((key, index) => cached[index] ?? fresh.get(key) ?? null);
}
