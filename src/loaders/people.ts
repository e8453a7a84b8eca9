import DataLoader from 'dataloader';
import { toNxlinkCustomerScans } from '../filters/customer-filter.ts';
import { scanNxlink, scanNxlinkUnion, type NxlinkScan } from '../paging/nxlink-window.ts';
import { DEFAULT_SORT, readKeyset } from '../paging/quentli-window.ts';
import {
  matchKeyOf,
  normalEmail,
  nxlinkEntry,
  parseKeyText,
  quentliEntry,
  sameKey,
  type MatchKey,
} from '../people/match.ts';
import { personOf, type PersonValue } from '../people/person.ts';
import type { MergeEntry } from '../paging/merge.ts';
import type { NxlinkCustomerRecord } from '../upstream/nxlink/records.ts';
import type { QuentliCustomerFilter, QuentliCustomerRecord } from '../upstream/quentli/records.ts';
import { settleEach, type BatchObserver } from './batch.ts';
import type { NxlinkLoaders } from './nxlink.ts';
import type { QuentliLoaders } from './quentli.ts';

export interface PeopleLoaders {
  /** The person of a match key (see people/match.ts, keyText); null when no record has it. */
  byKey: DataLoader<string, PersonValue | null>;
  /** The Quentli records of a match key, newest first (a link needs one side only). */
  quentliOf: DataLoader<string, QuentliCustomerRecord[]>;
  /** The NXLink records of a match key, newest first. */
  nxlinkOf: DataLoader<string, NxlinkCustomerRecord[]>;
  /** After a write: no person of this request is trusted. */
  clearAll(): void;
}

export interface PeopleLoaderDependencies {
  quentli: () => QuentliLoaders;
  nxlink: () => NxlinkLoaders;
  /** Items per list in a Quentli filter (QUENTLI_MAX_LIST_ITEMS). */
  quentliListItems: number;
  /** Quentli accepts a tie-break sort key (QUENTLI_TIE_BREAK_SORT). */
  quentliTieBreak: boolean;
  observeBatch?: BatchObserver;
}

/** A group is read to its end: shared phones are few records, never a page's worth. */
const ALL = Number.MAX_SAFE_INTEGER;

/**
 * Records by match key, a batch per tick and per system. The keys of one batch cost:
 * - Quentli: one list call per QUENTLI_MAX_LIST_ITEMS phones (`phoneNumber[in]`), one per as
 *   many emails (`OR` of case-insensitive `email` equalities), the record ids in one;
 * - NXLink: two queries per phone (`whatsApp_phone`, `sms_phone`: the rule takes the SMS phone
 *   of a record without a WhatsApp phone) and one per email, all at once; one per record id.
 * Each record found is kept only when its own key is the one asked for.
 */
export function createPeopleLoaders(dependencies: PeopleLoaderDependencies): PeopleLoaders {
  const { quentliListItems, quentliTieBreak, observeBatch = () => {} } = dependencies;
  const nxlinkFetch = (query: Parameters<NxlinkLoaders['query']['load']>[0]) => dependencies.nxlink().query.load(query);

  const readQuentli = (filter: QuentliCustomerFilter): Promise<QuentliCustomerRecord[]> =>
    readKeyset(
      (params) => dependencies.quentli().list.load(params),
      filter,
      DEFAULT_SORT,
      undefined,
      ALL,
      false,
      quentliTieBreak,
    );
  const scanAll = (filter: NxlinkScan['filter'], accept: NxlinkScan['accept']): NxlinkScan => ({
    filter,
    direction: 'forward',
    from: undefined,
    want: ALL,
    accept,
  });
  const ofKey =
    <R>(key: MatchKey, entryOf: (record: R) => MergeEntry) =>
    (records: readonly R[]) =>
      records.filter((record) => sameKey(matchKeyOf(entryOf(record)), key));

  const quentliOf = new DataLoader<string, QuentliCustomerRecord[]>(async (texts) => {
    observeBatch('people.quentli', texts.length);
    const keys = texts.map(parseKeyText);
    const phones = keys.flatMap((key) => (key.kind === 'PHONE' ? [key.phone] : []));
    const emails = keys.flatMap((key) => (key.kind === 'EMAIL' ? [key.email] : []));
    const reads = Promise.all([
      ...chunks(phones, quentliListItems).map((chunk) => readQuentli({ phoneNumber: { in: chunk } })),
      ...chunks(emails, quentliListItems).map((chunk) =>
        readQuentli({ OR: chunk.map((email) => ({ email: { equals: email, mode: 'insensitive' } })) }),
      ),
    ]).then((lists) => lists.flat());
    return settleEach(keys, async (key) => {
      if (key.kind === 'RECORD') {
        const record = key.source === 'QUENTLI' ? await dependencies.quentli().byId.load(key.id) : null;
        return record === null ? [] : [record];
      }
      return ofKey(key, quentliEntry)(await reads);
    });
  });

  const nxlinkOf = new DataLoader<string, NxlinkCustomerRecord[]>(async (texts) => {
    observeBatch('people.nxlink', texts.length);
    return settleEach(texts.map(parseKeyText), async (key) => {
      if (key.kind === 'RECORD') {
        const record = key.source === 'NXLINK' ? await dependencies.nxlink().byId.load(key.id) : null;
        return record === null ? [] : [record];
      }
      if (key.kind === 'PHONE') {
        const scans = toNxlinkCustomerScans({ phoneNumber: key.phone });
        const found = await scanNxlinkUnion(
          nxlinkFetch,
          scans.filters.map((filter) => scanAll(filter, scans.accept)),
        );
        return ofKey(key, nxlinkEntry)(found.customers);
      }
      const accept = (customer: NxlinkCustomerRecord) => normalEmail(customer.email) === key.email;
      const found = await scanNxlink(nxlinkFetch, scanAll({ email: key.email }, accept));
      return ofKey(key, nxlinkEntry)(found.customers);
    });
  });

  const byKey = new DataLoader<string, PersonValue | null>((texts) =>
    settleEach(texts, async (text) => {
      const [quentli, nxlink] = await Promise.all([quentliOf.load(text), nxlinkOf.load(text)]);
      return personOf(parseKeyText(text), [...quentli.map(quentliEntry), ...nxlink.map(nxlinkEntry)]);
    }),
  );

  const clearAll = () => {
    byKey.clearAll();
    quentliOf.clearAll();
    nxlinkOf.clearAll();
  };
  return { byKey, quentliOf, nxlinkOf, clearAll };
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const result: T[][] = [];
  for (let start = 0; start < items.length; start += size) result.push(items.slice(start, start + size));
  return result;
}
