import DataLoader from 'dataloader';
import type { QuentliClient } from '../upstream/clients.ts';
import type { QuentliCustomerRecord, QuentliListParams } from '../upstream/quentli/records.ts';
import { QUENTLI_MAX_LIMIT } from '../paging/quentli-window.ts';
import { inKeyOrder, settleEach } from './batch.ts';

export interface QuentliLoaders {
  /** List calls of this request, each distinct one sent once. */
  list: DataLoader<QuentliListParams, QuentliCustomerRecord[], string>;
  byId: DataLoader<string, QuentliCustomerRecord | null>;
  /** Make every loader answer `record` from now on (after a read or a write). */
  prime(record: QuentliCustomerRecord): void;
}

export function createQuentliLoaders(client: QuentliClient, signal: AbortSignal): QuentliLoaders {
  // Quentli has no get-by-id: many ids become one list call filtered with `id[in]`.
  const byId = new DataLoader<string, QuentliCustomerRecord | null>(
    async (ids) => {
      const records = await client.listCustomers(
        { filter: { id: { in: [...ids] } }, limit: ids.length },
        signal,
      );
      return inKeyOrder(ids, records, (record) => record.id);
    },
    { maxBatchSize: QUENTLI_MAX_LIMIT },
  );

  const prime = (record: QuentliCustomerRecord): void => {
    byId.clear(record.id).prime(record.id, record);
  };

  const list = new DataLoader<QuentliListParams, QuentliCustomerRecord[], string>(
    (queries) =>
      settleEach(queries, async (query) => {
        const records = await client.listCustomers(query, signal);
        records.forEach(prime);
        return records;
      }),
    { cacheKeyFn: (query) => JSON.stringify(query) },
  );

  return { list, byId, prime };
}
