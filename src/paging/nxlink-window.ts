import { z } from 'zod';
import type { NxlinkCustomerRecord, NxlinkPage, NxlinkQuery } from '../upstream/nxlink/records.ts';
import { decodeCursor, encodeCursor } from './cursor.ts';
import type { Direction, Page, PageRequest } from './page-request.ts';

export const NXLINK_MAX_LIMIT = 50;

export type NxlinkFetch = (query: NxlinkQuery) => Promise<NxlinkPage>;

/** The filters of a query: everything but the paging fields, which the window sets. */
export type NxlinkFilter = Omit<NxlinkQuery, 'after' | 'before' | 'limit'>;

const CURSOR_KIND = 'NxlinkCustomer';
/** A 64-bit NXLink id, kept as decimal digits so it goes back to NXLink exactly. */
export const nxlinkIdSchema = z.string().regex(/^[0-9]{1,20}$/);

export function encodeNxlinkCursor(id: string): string {
  return encodeCursor(CURSOR_KIND, id);
}

export function decodeNxlinkCursor(cursor: string, argument: string): string {
  return decodeCursor(CURSOR_KIND, cursor, nxlinkIdSchema, argument);
}

export interface NxlinkScan {
  filter: NxlinkFilter;
  direction: Direction;
  /** Id of the customer to read from, exclusive; undefined for the start (or end) of the list. */
  from: string | undefined;
  want: number;
  /** A condition the gateway applies where NXLink cannot filter. */
  accept?: ((customer: NxlinkCustomerRecord) => boolean) | undefined;
  /**
   * Pages left to read with `accept` in this request (GATEWAY_SCAN_PAGES), shared by its scans.
   * Each scan reads at least one page, so every request moves on.
   */
  budget?: ScanBudget | undefined;
}

export interface ScanBudget {
  pagesLeft: number;
}

/** The farthest customer a scan read (accepted or not): where a scan that stopped early ends. */
export interface ScanFrontier {
  id: string;
  createdAt: string;
}

export interface NxlinkScanResult {
  /** Nearest to `from` first: newest first forward, oldest first backward. */
  customers: NxlinkCustomerRecord[];
  /** Whether more customers lie beyond those returned. */
  more: boolean;
  /** Set when the scan ran out of budget before finding `want` (+1) customers. */
  frontier?: ScanFrontier;
}

/**
 * Reads up to `want` customers next to `from`, in as many calls as NXLink's limit of 50 needs.
 * Forward reads older customers (`after`: ids below), backward newer ones (`before`: ids above);
 * without `from`, forward starts at the newest and backward at the oldest (`before=0`: the ids
 * above 0 nearest to 0). To continue, the next call sends `paging.after` (or `paging.before`):
 * `paging.next` is the first id of the next page, and sending it as `after` would skip it.
 *
 * NXLink's paging says whether more customers lie beyond, so no extra customer is read for
 * that, unless the gateway filters (`accept`): then one more accepted customer must be found.
 * A filtering scan also spends the request's `budget` of pages: once it is spent (after this
 * scan's first page), the scan ends with what it found, `more`, and its `frontier`.
 */
export async function scanNxlink(fetch: NxlinkFetch, scan: NxlinkScan): Promise<NxlinkScanResult> {
  const forward = scan.direction === 'forward';
  const target = scan.accept === undefined ? scan.want : scan.want + 1;
  const found: NxlinkCustomerRecord[] = [];
  let cursor = scan.from ?? (forward ? undefined : '0');
  let beyond: boolean;
  let farthest: NxlinkCustomerRecord | undefined;
  let pages = 0;
  do {
    const budget = scan.accept === undefined ? undefined : scan.budget;
    if (budget !== undefined && pages > 0 && budget.pagesLeft <= 0 && farthest !== undefined) {
      return { customers: found, more: true, frontier: { id: farthest.id, createdAt: farthest.createdAt } };
    }
    pages += 1;
    if (budget !== undefined) budget.pagesLeft -= 1;
    // At least 1, even for `want` 0: the answer still tells whether anything lies beyond.
    const limit =
      scan.accept === undefined ? Math.min(NXLINK_MAX_LIMIT, Math.max(1, target - found.length)) : NXLINK_MAX_LIMIT;
    const page = await fetch({
      ...scan.filter,
      ...(cursor === undefined ? {} : forward ? { after: cursor } : { before: cursor }),
      limit,
    });
    const nearestFirst = forward ? page.customers : [...page.customers].reverse();
    for (const customer of nearestFirst) {
      if (scan.accept === undefined || scan.accept(customer)) found.push(customer);
    }
    farthest = nearestFirst.at(-1) ?? farthest;
    const next = forward ? page.paging.after : page.paging.before;
    beyond = (forward ? page.paging.next : page.paging.previous) !== null && next !== null && page.customers.length > 0;
    cursor = next ?? undefined;
  } while (beyond && found.length < target);

  return {
    customers: found.slice(0, scan.want),
    more: found.length > scan.want || (scan.accept === undefined && beyond),
  };
}

/**
 * Several scans that together make one list (e.g. customers whose WhatsApp phone is X, and those
 * whose SMS phone is X): each is read as far as the page needs, then merged by id, once each.
 */
export async function scanNxlinkUnion(fetch: NxlinkFetch, scans: readonly NxlinkScan[]): Promise<NxlinkScanResult> {
  if (scans.length === 1) return scanNxlink(fetch, scans[0]!);
  const results = await Promise.all(scans.map((scan) => scanNxlink(fetch, scan)));
  const forward = scans[0]?.direction !== 'backward';
  // Nearest first: newest first forward, oldest first backward.
  const nearer = (a: string, b: string) => compareIds(a, b) * (forward ? -1 : 1);
  // Scans that stopped early: the union ends at the nearest of their frontiers, since what lies
  // beyond it is unknown to that scan.
  const frontier = results
    .flatMap((result) => (result.frontier === undefined ? [] : [result.frontier]))
    .sort((a, b) => nearer(a.id, b.id))[0];
  const byId = new Map<string, NxlinkCustomerRecord>();
  for (const result of results) {
    for (const customer of result.customers) {
      if (frontier === undefined || nearer(customer.id, frontier.id) <= 0) byId.set(customer.id, customer);
    }
  }
  const nearestFirst = [...byId.values()].sort((a, b) => nearer(a.id, b.id));
  const want = scans[0]?.want ?? 0;
  return {
    customers: nearestFirst.slice(0, want),
    more: nearestFirst.length > want || results.some((result) => result.more),
    ...(frontier === undefined || nearestFirst.length > want ? {} : { frontier }),
  };
}

export function compareIds(a: string, b: string): number {
  const difference = BigInt(a) - BigInt(b);
  return difference < 0n ? -1 : difference > 0n ? 1 : 0;
}

/** The id next to `id`: NXLink ids are integers, so "from X inclusive" is "from X ± 1 exclusive". */
export function adjacentId(id: string, direction: Direction): string {
  return (direction === 'forward' ? BigInt(id) + 1n : BigInt(id) - 1n).toString();
}

export interface NxlinkPageInput {
  request: PageRequest;
  filter: NxlinkFilter;
  fetch: NxlinkFetch;
}

export async function pageNxlink({ request, filter, fetch }: NxlinkPageInput): Promise<Page<NxlinkCustomerRecord>> {
  const forward = request.direction === 'forward';
  const from =
    request.cursor === undefined ? undefined : decodeNxlinkCursor(request.cursor, forward ? 'after' : 'before');
  const { customers, more } = await scanNxlink(fetch, {
    filter,
    direction: request.direction,
    from,
    want: request.size,
  });
  if (!forward) customers.reverse();
  return {
    items: customers.map((node) => ({ node, cursor: encodeNxlinkCursor(node.id) })),
    hasNextPage: forward ? more : from !== undefined,
    hasPreviousPage: forward ? from !== undefined : more,
  };
}
