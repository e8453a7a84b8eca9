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
  quentli?: (
    direction: Direction,
    from: QuentliKey | undefined,
    inclusive: boolean,
    want: number,
  ) => Promise<QuentliCustomerRecord[]>;
  nxlink?: (direction: Direction, from: string | undefined, want: number) => Promise<NxlinkScanResult>;
}

export interface MergedPage {
  page: Page<MergeEntry>;
  /** Sources that failed: the page holds the others' records, the failed one's position stays. */
  failures: { source: MergeSource; error: unknown }[];
}

/**
 * A source's position at an edge is the boundary between its records at or before the edge (in
 * the merged order) and those after it: after a record, from a record (inclusive), `end` when
 * none of its records follow the edge, or null when all of them do. Boundaries named by records
 * stay put when customers are created meanwhile (new customers are the newest): a walk from
 * start to end sees every customer that existed when it began, once.
 */
const positionSchema = <K extends z.ZodType>(key: K) =>
  z.union([z.object({ after: key }), z.object({ from: key }), z.literal('end'), z.null()]);
const quentliKeySchema = z.tuple([z.string(), z.string()]);
const cursorSchema = z.object({
  q: positionSchema(quentliKeySchema),
  n: positionSchema(nxlinkIdSchema),
  /** The source of the edge's own record, which is the `after` of that source's position. */
  s: z.enum(['QUENTLI', 'NXLINK']),
});
type MergeCursor = z.infer<typeof cursorSchema>;
type Position<K> = { after: K } | { from: K } | 'end' | null;

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

export async function pageCustomers(request: PageRequest, sources: MergeSources): Promise<MergedPage> {
  const forward = request.direction === 'forward';
  const argument = forward ? 'after' : 'before';
  const cursor =
    request.cursor === undefined ? undefined : decodeCursor(CURSOR_KIND, request.cursor, cursorSchema, argument);
  const failures: MergedPage['failures'] = [];
  const settle = async <T>(source: MergeSource, read: () => Promise<T>): Promise<T | undefined> => {
    try {
      return await read();
    } catch (error) {
      failures.push({ source, error });
      return undefined;
    }
  };

  const quentliRead = sources.quentli;
  const nxlinkRead = sources.nxlink;
  const quentliFrom = sourceStart(cursor, 'QUENTLI', cursor?.q ?? null, forward);
  const nxlinkFrom = sourceStart(cursor, 'NXLINK', cursor?.n ?? null, forward);
  // One record more than the page from each source shows whether more follow; forward, NXLink's
  // own paging says so. Backward, the extra record also bounds the page's first positions.
  const [quentliRecords, nxlinkResult] = await Promise.all([
    quentliRead === undefined || quentliFrom === 'none'
      ? []
      : settle('QUENTLI', () =>
          quentliRead(request.direction, quentliFrom?.at, quentliFrom?.inclusive ?? false, request.size + 1),
        ),
    nxlinkRead === undefined || nxlinkFrom === 'none'
      ? ({ customers: [], more: false } satisfies NxlinkScanResult as NxlinkScanResult)
      : settle('NXLINK', () =>
          nxlinkRead(
            request.direction,
            nxlinkFrom?.inclusive ? adjacentId(nxlinkFrom.at, request.direction) : nxlinkFrom?.at,
            forward ? request.size : request.size + 1,
          ),
        ),
  ]);

  const inReadingOrder = (a: MergeEntry, b: MergeEntry) => (forward ? compareMerged(a, b) : compareMerged(b, a));
  // A bounded NXLink scan that stopped early read nothing beyond its frontier: the page ends
  // there, and records of Quentli beyond it wait for the next page.
  const scanFrontier = nxlinkResult?.frontier;
  const frontier: MergeEntry | undefined =
    scanFrontier === undefined ? undefined : { source: 'NXLINK', record: scanFrontier as NxlinkCustomerRecord };
  const candidates: MergeEntry[] = [
    ...(quentliRecords ?? []).map((record) => ({ source: 'QUENTLI' as const, record })),
    ...(nxlinkResult?.customers ?? []).map((record) => ({ source: 'NXLINK' as const, record })),
  ]
    .filter((entry) => frontier === undefined || inReadingOrder(entry, frontier) <= 0)
    .sort(inReadingOrder);
  const taken = candidates.slice(0, request.size);
  const stoppedEarly = frontier !== undefined && taken.length === candidates.length;
  const more = candidates.length > taken.length || (nxlinkResult?.more ?? false) || failures.length > 0;
  const left = candidates.slice(taken.length);
  // The frontier rides along as the page's last entry (forward; first backward) so that its
  // cursor, made like every other, is where the next page starts; it is not served.
  const withFrontier = stoppedEarly ? [...taken, frontier] : taken;
  const page = forward ? withFrontier : [...withFrontier].reverse();

  const positions = {
    QUENTLI: positionsAlong<QuentliKey>(page, 'QUENTLI', (entry) => quentliKey(entry.record as QuentliCustomerRecord), {
      forward,
      incoming: cursor?.q ?? null,
      incomingOwn: cursor?.s === 'QUENTLI',
      read: quentliRecords !== undefined && quentliFrom !== 'none',
      nearestLeft: left.find((entry) => entry.source === 'QUENTLI'),
    }),
    NXLINK: positionsAlong<string>(page, 'NXLINK', (entry) => entry.record.id, {
      forward,
      incoming: cursor?.n ?? null,
      incomingOwn: cursor?.s === 'NXLINK',
      read: nxlinkResult !== undefined && nxlinkFrom !== 'none',
      nearestLeft: left.find((entry) => entry.source === 'NXLINK'),
    }),
  };
  const items = page.map((entry, index) => ({
    node: entry,
    cursor: encodeCursor(CURSOR_KIND, {
      q: positions.QUENTLI[index] ?? null,
      n: positions.NXLINK[index] ?? null,
      s: entry.source,
    } satisfies MergeCursor),
  }));
  const scanEnd = stoppedEarly ? (forward ? items.pop() : items.shift())?.cursor : undefined;

  return {
    page: {
      items,
      hasNextPage: forward ? more : cursor !== undefined,
      hasPreviousPage: forward ? cursor !== undefined : more,
      ...(scanEnd === undefined ? {} : forward ? { endCursor: scanEnd } : { startCursor: scanEnd }),
    },
    failures,
  };
}

function quentliKey(record: QuentliCustomerRecord): QuentliKey {
  return [record.createdAt, record.id];
}

/**
 * Where to read a source from: `at` a key (inclusive or not), undefined for the start (forward)
 * or end (backward) of its list, or 'none' when none of its records lie that way.
 */
function sourceStart<K>(
  cursor: MergeCursor | undefined,
  source: MergeSource,
  position: Position<K>,
  forward: boolean,
): { at: K; inclusive: boolean } | undefined | 'none' {
  if (cursor === undefined) return undefined;
  if (forward) {
    if (position === null) return undefined;
    if (position === 'end') return 'none';
    return 'after' in position ? { at: position.after, inclusive: false } : { at: position.from, inclusive: true };
  }
  // Backward: the records before the edge. The edge's own record is the `after` of its source.
  if (position === null) return 'none';
  if (position === 'end') return undefined;
  if ('from' in position) return { at: position.from, inclusive: false };
  return { at: position.after, inclusive: cursor.s !== source };
}

/**
 * The source's position at each edge of the page (in list order): after its last record at or
 * before the edge where there is one, else the boundary the page starts from.
 */
function positionsAlong<K>(
  page: readonly MergeEntry[],
  source: MergeSource,
  keyOf: (entry: MergeEntry) => K,
  context: {
    forward: boolean;
    incoming: Position<K>;
    /** Whether the cursor's edge is a record of this source (then `incoming` is after it). */
    incomingOwn: boolean;
    /** Whether the source was read (neither skipped nor failed). */
    read: boolean;
    /** The nearest record of this source read but left out of the page (it follows the page
     * forward, precedes it backward). */
    nearestLeft: MergeEntry | undefined;
  },
): Position<K>[] {
  const own = page.filter((entry) => entry.source === source);
  let boundary: Position<K>;
  if (!context.read) {
    boundary = context.incoming;
  } else if (context.forward) {
    // Before this source's first record of the page: where the page started reading it, named
    // by its first record (read from the start, a null position would move with new customers).
    const first = own[0] ?? context.nearestLeft;
    boundary = context.incoming !== null ? context.incoming : first !== undefined ? { from: keyOf(first) } : 'end';
  } else if (context.nearestLeft !== undefined) {
    boundary = { after: keyOf(context.nearestLeft) };
  } else {
    // Nothing of this source precedes the page: all of it follows, from its first record in
    // the page, or from where the cursor's edge stood.
    const first = own[0];
    const incoming = context.incoming;
    boundary =
      first !== undefined
        ? { from: keyOf(first) }
        : context.incomingOwn && incoming !== null && incoming !== 'end' && 'after' in incoming
          ? { from: incoming.after }
          : incoming;
  }
  return page.map((entry) => {
    if (entry.source === source) boundary = { after: keyOf(entry) };
    return boundary;
  });
}
