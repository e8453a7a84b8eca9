import { z } from 'zod';
import type { NxlinkCustomerRecord } from '../upstream/nxlink/records.ts';
import type { QuentliCustomerRecord } from '../upstream/quentli/records.ts';
import { decodeCursor, encodeCursor } from './cursor.ts';
import { adjacentId, compareIds, nxlinkIdSchema, type NxlinkScanResult } from './nxlink-window.ts';
import type { Direction, Page, PageRequest } from './page-request.ts';

export type MergeSource = 'QUENTLI' | 'NXLINK';

export type MergeEntry =
  | { source: 'QUENTLI'; record: QuentliCustomerRecord }
  | { source: 'NXLINK'; record: NxlinkCustomerRecord };

/** A Quentli row's place in Quentli's default order: `[createdAt, id]`. */
export type QuentliKey = [createdAt: string, id: string];

/**
 * One source, read next to a position (exclusive, or inclusive when asked), nearest first:
 * forward reads older records, backward newer ones; without a position, from the start or end.
 */
export interface MergeSources {
  quentli?: (direction: Direction, from: QuentliKey | undefined, inclusive: boolean, want: number) => Promise<QuentliCustomerRecord[]>;
  nxlink?: (direction: Direction, from: string | undefined, want: number) => Promise<NxlinkScanResult>;
}

export interface MergedPage {
  page: Page<MergeEntry>;
  /** Sources that failed: the page holds the others' records, the failed one's position stays. */
  failures: { source: MergeSource; error: unknown }[];
}

/**
 * The cursor holds each source's position: the last record of that source at or before the
 * edge in the merged order (null when none), and the edge's own source. Reading on forward
 * starts after both positions. Reading backward starts before the edge's own record, and at
 * the other source's position inclusive, since that record precedes the edge.
 */
const cursorSchema = z.object({
  q: z.tuple([z.string(), z.string()]).nullable(),
  n: nxlinkIdSchema.nullable(),
  s: z.enum(['QUENTLI', 'NXLINK']),
});
type MergeCursor = z.infer<typeof cursorSchema>;

const CURSOR_KIND = 'Customer';

/**
 * The merged order: newest first (`createdAt` descending), ties broken by source (Quentli
 * first), then `sourceId` descending. Restricted to one source it is that source's own order
 * (Quentli: createdAt, id descending; NXLink: id descending, as ids grow with created_at), which
 * is what lets each source be read with its own paging.
 */
export function compareMerged(a: MergeEntry, b: MergeEntry): number {
  const time = Date.parse(b.record.createdAt) - Date.parse(a.record.createdAt);
  if (time !== 0) return time;
  if (a.source !== b.source) return a.source === 'QUENTLI' ? -1 : 1;
  if (a.source === 'NXLINK') return compareIds(b.record.id, a.record.id);
  return a.record.id < b.record.id ? 1 : a.record.id > b.record.id ? -1 : 0;
}

function quentliKey(record: QuentliCustomerRecord): QuentliKey {
  return [record.createdAt, record.id];
}

export async function pageCustomers(request: PageRequest, sources: MergeSources): Promise<MergedPage> {
  const forward = request.direction === 'forward';
  const argument = forward ? 'after' : 'before';
  const cursor = request.cursor === undefined ? undefined : decodeCursor(CURSOR_KIND, request.cursor, cursorSchema, argument);
  const failures: MergedPage['failures'] = [];
  const settle = async <T>(source: MergeSource, read: () => Promise<T>, empty: T): Promise<T> => {
    try {
      return await read();
    } catch (error) {
      failures.push({ source, error });
      return empty;
    }
  };

  const quentliRead = sources.quentli;
  const nxlinkRead = sources.nxlink;
  const quentliFrom = readPosition(cursor, 'QUENTLI', forward);
  const nxlinkFrom = readPosition(cursor, 'NXLINK', forward);
  // One record more than the page from each source shows whether more follow; forward, NXLink's
  // own paging says so. Backward, the extra record is also where the page's cursors start from.
  const [quentliRecords, nxlinkResult] = await Promise.all([
    quentliRead === undefined || quentliFrom === null
      ? []
      : settle('QUENTLI', () => quentliRead(request.direction, quentliFrom?.at, quentliFrom?.inclusive ?? false, request.size + 1), []),
    nxlinkRead === undefined || nxlinkFrom === null
      ? { customers: [], more: false }
      : settle(
          'NXLINK',
          () =>
            nxlinkRead(
              request.direction,
              nxlinkFrom?.inclusive ? adjacentId(nxlinkFrom.at, request.direction) : nxlinkFrom?.at,
              forward ? request.size : request.size + 1,
            ),
          { customers: [], more: false },
        ),
  ]);

  const candidates: MergeEntry[] = [
    ...quentliRecords.map((record) => ({ source: 'QUENTLI' as const, record })),
    ...nxlinkResult.customers.map((record) => ({ source: 'NXLINK' as const, record })),
  ].sort((a, b) => (forward ? compareMerged(a, b) : compareMerged(b, a)));
  const taken = candidates.slice(0, request.size);
  const more = candidates.length > taken.length || nxlinkResult.more || failures.length > 0;

  // Positions just before the page: forward, the cursor's; backward, the nearest records left
  // out. A source that failed keeps the cursor's position, so paging on loses none of its records.
  const left = candidates.slice(taken.length);
  const keep = (source: MergeSource) => forward || failures.some((failure) => failure.source === source);
  let q: QuentliKey | null = keep('QUENTLI')
    ? (cursor?.q ?? null)
    : positionOf(left.find((entry) => entry.source === 'QUENTLI'));
  let n: string | null = keep('NXLINK')
    ? (cursor?.n ?? null)
    : (left.find((entry) => entry.source === 'NXLINK')?.record.id ?? null);
  if (!forward) taken.reverse();
  const items = taken.map((entry) => {
    if (entry.source === 'QUENTLI') q = quentliKey(entry.record);
    else n = entry.record.id;
    const position: MergeCursor = { q, n, s: entry.source };
    return { node: entry, cursor: encodeCursor(CURSOR_KIND, position) };
  });

  return {
    page: {
      items,
      hasNextPage: forward ? more : cursor !== undefined,
      hasPreviousPage: forward ? cursor !== undefined : more,
    },
    failures,
  };
}

function positionOf(entry: MergeEntry | undefined): QuentliKey | null {
  return entry?.source === 'QUENTLI' ? quentliKey(entry.record) : null;
}

/**
 * Where to read a source from: undefined for the start (or end) of the list, null when nothing
 * of that source can lie in the requested direction.
 */
function readPosition<S extends MergeSource>(
  cursor: MergeCursor | undefined,
  source: S,
  forward: boolean,
): { at: S extends 'QUENTLI' ? QuentliKey : string; inclusive: boolean } | undefined | null {
  if (cursor === undefined) return undefined;
  const at = (source === 'QUENTLI' ? cursor.q : cursor.n) as (S extends 'QUENTLI' ? QuentliKey : string) | null;
  if (forward) return at === null ? undefined : { at, inclusive: false };
  // Backward from the edge: no record of the other source precedes it when its position is null.
  if (at === null) return null;
  return { at, inclusive: cursor.s !== source };
}
