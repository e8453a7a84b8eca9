/** Told the size of every batch a loader sends (for the batch-size histogram). */
export type BatchObserver = (loader: string, size: number) => void;

/**
 * DataLoader wants one answer per key, in key order, with an Error in place of each failure:
 * one failed upstream call must not fail the keys that other calls answered.
 */
export async function settleEach<K, V>(keys: readonly K[], load: (key: K) => Promise<V>): Promise<(V | Error)[]> {
  const results = await Promise.allSettled(keys.map(load));
  return results.map((result) =>
    result.status === 'fulfilled' ? result.value : toError(result.reason),
  );
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
