import { compareMerged, type MergeEntry } from '../paging/merge.ts';
import type { NxlinkCustomerRecord } from '../upstream/nxlink/records.ts';
import type { QuentliCustomerRecord } from '../upstream/quentli/records.ts';
import { matchKeyOf, sameKey, type MatchKey } from './match.ts';

/** One person: every record of both systems with the same match key (see match.ts). */
export interface PersonValue {
  key: MatchKey;
  /** Every record, newest first in the merged order (`customers`). */
  records: MergeEntry[];
  /** Newest first, as in `customers`. */
  quentli: QuentliCustomerRecord[];
  nxlink: NxlinkCustomerRecord[];
  /** The oldest record in the merged order: the person's place in `people` and its id. */
  oldest: MergeEntry;
}

export type Presence = 'BOTH' | 'QUENTLI_ONLY' | 'NXLINK_ONLY';

/**
 * The person of `entries` (all of one key), or null when there are none. Records are told apart
 * by source and id, so a record found twice (by a walk and by a look-up) counts once.
 */
export function personOf(key: MatchKey, entries: readonly MergeEntry[]): PersonValue | null {
  const unique = new Map<string, MergeEntry>();
  for (const entry of entries) {
    if (sameKey(matchKeyOf(entry), key)) unique.set(`${entry.source}:${entry.record.id}`, entry);
  }
  const sorted = [...unique.values()].sort(compareMerged);
  const oldest = sorted.at(-1);
  if (oldest === undefined) return null;
  return {
    key,
    records: sorted,
    quentli: sorted.flatMap((entry) => (entry.source === 'QUENTLI' ? [entry.record] : [])),
    nxlink: sorted.flatMap((entry) => (entry.source === 'NXLINK' ? [entry.record] : [])),
    oldest,
  };
}

export function presenceOf(person: PersonValue): Presence {
  if (person.quentli.length > 0 && person.nxlink.length > 0) return 'BOTH';
  return person.quentli.length > 0 ? 'QUENTLI_ONLY' : 'NXLINK_ONLY';
}

/**
 * A person's id names its oldest record, which stays the oldest while it exists: customers
 * created later are newer. `quentli.<cuid>` or `nxlink.<id>` (no `:`, which global ids split on).
 */
export function personIdOf(person: PersonValue): string {
  return `${person.oldest.source === 'QUENTLI' ? 'quentli' : 'nxlink'}.${person.oldest.record.id}`;
}
