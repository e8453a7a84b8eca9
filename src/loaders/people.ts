import DataLoader from 'dataloader';
import { toNxlinkCustomerScans } from '../filters/customer-filter.ts';
import { scanNxlink, scanNxlinkUnion, type NxlinkScan } from '../paging/nxlink-window.ts';
import { DEFAULT_SORT, readKeyset } from '../paging/quentli-window.ts';
import { keyText, normalEmail, nxlinkEntry, parseKeyText, quentliEntry, type MatchKey } from '../people/match.ts';
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
 * People by match key, a batch per tick. The keys of one page cost, in all:
 * - Quentli: one list call per QUENTLI_MAX_LIST_ITEMS phones (`phoneNumber[in]`), one per as
 *   many emails (`OR` of case-insensitive `email` equalities), one for record ids;
 * - NXLink: two queries per phone (`whatsApp_phone`, `sms_phone`: the rule takes the SMS phone
 *   of a record without a WhatsApp phone) and one per email, all at once; one per record id.
 * Each record found is kept only when its own key is the one asked for.
 */
export function createPeopleLoaders(dependencies: PeopleLoaderDependencies): PeopleLoaders {
  const { quentliListItems, quentliTieBreak, observeBatch = () => {} } = dependencies;

  const readQuentli = (filter: QuentliCustomerFilter): Promise<QuentliCustomerRecord[]> =>
    readKeyset((params) => dependencies.quentli().list.load(params), filter, DEFAULT_SORT, undefined, ALL, false, quentliTieBreak);
  const readNxlink = (scans: NxlinkScan[]): Promise<NxlinkCustomerRecord[]> =>
    scanNxlinkUnion((query) => dependencies.nxlink().query.load(query), scans).then((result) => result.customers);
  const scanAll = (filter: NxlinkScan['filter'], accept: NxlinkScan['accept']): NxlinkScan => ({
    filter,
    direction: 'forward',
    from: undefined,
    want: ALL,
    accept,
  });

  const byKey = new DataLoader<string, PersonValue | null>(async (texts) => {
    observeBatch('people.byKey', texts.length);
    const keys = texts.map(parseKeyText);
    const phones = keys.flatMap((key) => (key.kind === 'PHONE' ? [key.phone] : []));
    const emails = keys.flatMap((key) => (key.kind === 'EMAIL' ? [key.email] : []));
    const ids = (source: 'QUENTLI' | 'NXLINK') =>
      keys.flatMap((key) => (key.kind === 'RECORD' && key.source === source ? [key.id] : []));

    const quentliReads = [
      ...chunks(phones, quentliListItems).map((chunk) => readQuentli({ phoneNumber: { in: chunk } })),
      ...chunks(emails, quentliListItems).map((chunk) =>
        readQuentli({ OR: chunk.map((email) => ({ email: { equals: email, mode: 'insensitive' } })) }),
      ),
      ...ids('QUENTLI').map(async (id) => {
        const record = await dependencies.quentli().byId.load(id);
        return record === null ? [] : [record];
      }),
    ];
    const nxlinkFinds = new Map<string, Promise<NxlinkCustomerRecord[]>>();
    for (const phone of phones) {
      const scans = toNxlinkCustomerScans({ phoneNumber: phone });
      nxlinkFinds.set(keyText({ kind: 'PHONE', phone }), readNxlink(scans.filters.map((filter) => scanAll(filter, scans.accept))));
    }
    for (const email of emails) {
      const accept = (customer: NxlinkCustomerRecord) => normalEmail(customer.email) === email;
      nxlinkFinds.set(keyText({ kind: 'EMAIL', email }), scanNxlink((query) => dependencies.nxlink().query.load(query), scanAll({ email }, accept)).then((r) => r.customers));
    }
    for (const id of ids('NXLINK')) {
      nxlinkFinds.set(
        keyText({ kind: 'RECORD', source: 'NXLINK', id }),
        dependencies.nxlink().byId.load(id).then((record) => (record === null ? [] : [record])),
      );
    }

    const quentliAnswers = Promise.all(quentliReads).then((lists) => lists.flat().map(quentliEntry));
    return settleEach(keys, async (key: MatchKey) => {
      const [quentli, nxlink] = await Promise.all([quentliAnswers, nxlinkFinds.get(keyText(key)) ?? Promise.resolve([])]);
      const entries: MergeEntry[] = [...quentli, ...nxlink.map(nxlinkEntry)];
      return personOf(key, entries);
    });
  });

  return { byKey };
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const result: T[][] = [];
  for (let start = 0; start < items.length; start += size) result.push(items.slice(start, start + size));
  return result;
}
