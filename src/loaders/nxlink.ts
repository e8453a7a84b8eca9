import DataLoader from 'dataloader';
import type { NxlinkClient } from '../upstream/clients.ts';
import type { CallOptions } from '../upstream/call.ts';
import type { NxlinkCustomerRecord, NxlinkPage, NxlinkQuery } from '../upstream/nxlink/records.ts';
import { INT64_MAX } from '../upstream/ids.ts';
import { NO_CACHE, type SharedCache } from '../shared/cache.ts';
import { settleEach, throughCache, type BatchObserver } from './batch.ts';

export interface NxlinkLoaders {
  /** Queries of this request, each distinct one sent once. */
  query: DataLoader<NxlinkQuery, NxlinkPage, string>;
  byId: DataLoader<string, NxlinkCustomerRecord | null>;
  prime(record: NxlinkCustomerRecord): void;
}

export function createNxlinkLoaders(
  client: NxlinkClient,
  call: CallOptions,
  observeBatch: BatchObserver = () => {},
  cache: SharedCache = NO_CACHE,
): NxlinkLoaders {
  // NXLink answers one query per look-up: a page's look-ups all go at once, one round trip in
  // all. The upstream pool's connections and NXLINK_MAX_RPS bound what reaches NXLink.
  const first = async (query: NxlinkQuery) => (await queryLoader.load(query)).customers[0] ?? null;

  /**
   * NXLink has no get-by-id, but its cursor rule is exact: `after=X` lists the customers with
   * id < X, newest first. So the first customer after `id + 1` is the customer `id`, if it exists.
   * The largest id has no `id + 1` in 64 bits: `before=X` lists those with id > X nearest to X,
   * so `before = id - 1` finds it instead.
   */
  const byId = new DataLoader<string, NxlinkCustomerRecord | null>((keys) =>
    throughCache(cache, 'nxlink.byId', keys, (ids) => {
      observeBatch('nxlink.byId', ids.length);
      return settleEach(ids, async (id) => {
        const n = BigInt(id);
        const found = await first(
          n === INT64_MAX ? { before: (n - 1n).toString(), limit: 1 } : { after: (n + 1n).toString(), limit: 1 },
        );
        return found?.id === id ? found : null;
      });
    }),
  );

  const prime = (record: NxlinkCustomerRecord): void => {
    byId.clear(record.id).prime(record.id, record);
  };

  const queryLoader = new DataLoader<NxlinkQuery, NxlinkPage, string>(
    (queries) => {
      observeBatch('nxlink.query', queries.length);
      return settleEach(queries, async (query) => {
        const page = await client.queryCustomers(query, call);
        page.customers.forEach(prime);
        return page;
      });
    },
    { cacheKeyFn: (query) => JSON.stringify(query) },
  );

  return { query: queryLoader, byId, prime };
}
