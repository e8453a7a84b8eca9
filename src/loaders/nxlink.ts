import DataLoader from 'dataloader';
import pLimit from 'p-limit';
import type { NxlinkClient } from '../upstream/clients.ts';
import type { NxlinkCustomerRecord, NxlinkPage, NxlinkQuery } from '../upstream/nxlink/records.ts';
import { settleEach } from './batch.ts';

/** NXLink answers one query per look-up; this many run at once per request. */
const LOOKUP_CONCURRENCY = 8;

export interface NxlinkLoaders {
  /** Queries of this request, each distinct one sent once. */
  query: DataLoader<NxlinkQuery, NxlinkPage, string>;
  byId: DataLoader<string, NxlinkCustomerRecord | null>;
  prime(record: NxlinkCustomerRecord): void;
}

export function createNxlinkLoaders(client: NxlinkClient, signal: AbortSignal): NxlinkLoaders {
  const limit = pLimit(LOOKUP_CONCURRENCY);

  const byId = new DataLoader<string, NxlinkCustomerRecord | null>((ids) =>
    settleEach(ids, (id) => limit(() => findById(id))),
  );

  const prime = (record: NxlinkCustomerRecord): void => {
    byId.clear(record.id).prime(record.id, record);
  };

  const query = new DataLoader<NxlinkQuery, NxlinkPage, string>(
    (queries) =>
      settleEach(queries, async (q) => {
        const page = await client.queryCustomers(q, signal);
        page.customers.forEach(prime);
        return page;
      }),
    { cacheKeyFn: (q) => JSON.stringify(q) },
  );

  /**
   * NXLink has no get-by-id, but its cursor rule is exact: `after=X` lists the customers with
   * id < X, newest first. So the first customer after `id + 1` is the customer `id`, if it exists.
   */
  async function findById(id: string): Promise<NxlinkCustomerRecord | null> {
    const page = await query.load({ after: (BigInt(id) + 1n).toString(), limit: 1 });
    const [found] = page.customers;
    return found !== undefined && found.id === id ? found : null;
  }

  return { query, byId, prime };
}
