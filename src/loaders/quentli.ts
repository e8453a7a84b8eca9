import DataLoader from 'dataloader';
import type { QuentliClient } from '../upstream/clients.ts';
import type { CallOptions } from '../upstream/call.ts';
import type { QuentliCustomerRecord, QuentliListParams } from '../upstream/quentli/records.ts';
import { QUENTLI_MAX_LIMIT } from '../paging/quentli-window.ts';
import { NO_CACHE, type SharedCache } from '../shared/cache.ts';
import { inKeyOrder, settleEach, throughCache, type BatchObserver } from './batch.ts';

export interface QuentliLoaders {
  /** List calls of this request, each distinct one sent once. */
  list: DataLoader<QuentliListParams, QuentliCustomerRecord[], string>;
  byId: DataLoader<string, QuentliCustomerRecord | null>;
  /** Make the loaders answer `record` from now on (after a read). */
  prime(record: QuentliCustomerRecord): void;
  /**
   * After a write: forget every list answer, answer `record` by its id, and drop the shared
   * cache's entry of its id for every replica before the write is answered.
   */
  written(record: QuentliCustomerRecord): Promise<void>;
}

export function createQuentliLoaders(
  client: QuentliClient,
  call: CallOptions,
  observeBatch: BatchObserver = () => {},
  cache: SharedCache = NO_CACHE,
): QuentliLoaders {
  // Quentli has no get-by-id: many ids become one list call filtered with `id[in]`.
  const byId = new DataLoader<string, QuentliCustomerRecord | null>(
    (ids) =>
      throughCache(cache, 'quentli.byId', ids, async (missing) => {
        observeBatch('quentli.byId', missing.length);
        const records = await Promise.all(
          chunks(missing, client.encoding.maxListItems).map((ids) =>
            client.listCustomers({ filter: { id: { in: ids } }, limit: ids.length }, call),
          ),
        );
        return inKeyOrder(missing, records.flat(), (record) => record.id);
      }),
    { maxBatchSize: QUENTLI_MAX_LIMIT },
  );

  const prime = (record: QuentliCustomerRecord): void => {
    byId.clear(record.id).prime(record.id, record);
  };

  const list = new DataLoader<QuentliListParams, QuentliCustomerRecord[], string>(
    (queries) => {
      observeBatch('quentli.list', queries.length);
      return settleEach(queries, async (query) => {
        const records = await client.listCustomers(query, call);
        records.forEach(prime);
        return records;
      });
    },
    { cacheKeyFn: (query) => JSON.stringify(query) },
  );

  const written = async (record: QuentliCustomerRecord): Promise<void> => {
    list.clearAll();
    prime(record);
    await cache.invalidate([{ cache: 'quentli.byId', key: record.id }]);
  };

  return { list, byId, prime, written };
}

/**
 * A look-up batch in lists of at most `size` items, sent in parallel: Quentli's page documents
 * no list length, and a server parsing `filter` with qs's defaults misreads longer lists.
 */
function chunks<T>(items: readonly T[], size: number): T[][] {
  const result: T[][] = [];
  for (let start = 0; start < items.length; start += size) result.push(items.slice(start, start + size));
  return result;
}
