import DataLoader from 'dataloader';
import type { QuentliClient } from '../upstream/clients.ts';
import type { CallOptions } from '../upstream/call.ts';
import type { QuentliCustomerRecord, QuentliListParams } from '../upstream/quentli/records.ts';
import { QUENTLI_MAX_LIMIT } from '../paging/quentli-window.ts';
import { toE164 } from '../phone.ts';
import { NO_CACHE, type SharedCache } from '../shared/cache.ts';
import { inKeyOrder, settleEach, throughCache, type BatchObserver } from './batch.ts';

export interface QuentliLoaders {
  /** List calls of this request, each distinct one sent once. */
  list: DataLoader<QuentliListParams, QuentliCustomerRecord[], string>;
  byId: DataLoader<string, QuentliCustomerRecord | null>;
  /** The newest Quentli customer whose `phoneNumber` is this E.164 number. */
  byPhone: DataLoader<string, QuentliCustomerRecord | null>;
  /** Make the loaders answer `record` from now on (after a read). */
  prime(record: QuentliCustomerRecord): void;
  /**
   * After a write: forget every list and phone answer, answer `record` by its id, and drop the
   * shared cache's entries of its id and phones (the new one and, when known, the old one) for
   * every replica before the write is answered.
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

  // Newest first (Quentli's default order), so the first record of each phone is its newest
  // customer. Several customers may share a phone: a full answer may leave phones unanswered,
  // asked again.
  const newestByPhone = async (phones: string[], found: Map<string, QuentliCustomerRecord>): Promise<void> => {
    let pending = phones;
    while (pending.length > 0) {
      const records = await client.listCustomers({ filter: { phoneNumber: { in: pending } }, limit: QUENTLI_MAX_LIMIT }, call);
      for (const record of records) {
        const phone = toE164(record.phoneNumber);
        if (phone !== null && !found.has(phone)) found.set(phone, record);
      }
      if (records.length < QUENTLI_MAX_LIMIT) break;
      pending = pending.filter((phone) => !found.has(phone));
    }
  };

  const byPhone = new DataLoader<string, QuentliCustomerRecord | null>(
    (keys) => throughCache(cache, 'quentli.byPhone', keys, async (phones) => {
      observeBatch('quentli.byPhone', phones.length);
      const found = new Map<string, QuentliCustomerRecord>();
      await Promise.all(chunks(phones, client.encoding.maxListItems).map((chunk) => newestByPhone(chunk, found)));
      return phones.map((phone) => found.get(phone) ?? null);
    }),
    { maxBatchSize: QUENTLI_MAX_LIMIT },
  );

  const prime = (record: QuentliCustomerRecord): void => {
    byId.clear(record.id).prime(record.id, record);
    const phone = toE164(record.phoneNumber);
    if (phone !== null) byPhone.prime(phone, record);
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
    byPhone.clearAll();
    prime(record);
    const [previous] = await cache.getMany('quentli.byId', [record.id]);
    const phones = new Set([toE164(record.phoneNumber), previous ? toE164(previous.phoneNumber) : null]);
    await cache.invalidate([
      { cache: 'quentli.byId', key: record.id },
      ...[...phones].flatMap((phone) => (phone === null ? [] : [{ cache: 'quentli.byPhone' as const, key: phone }])),
    ]);
  };

  return { list, byId, byPhone, prime, written };
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
