import { z } from 'zod';
import type {
  NxlinkCustomerRecord,
  NxlinkPage,
  NxlinkPaging,
  NxlinkQuery,
} from '../upstream/nxlink/records.ts';
import { decodeCursor, encodeCursor } from './cursor.ts';
import type { Page, PageRequest } from './page-request.ts';

export const NXLINK_MAX_LIMIT = 50;

export type NxlinkFetch = (query: NxlinkQuery) => Promise<NxlinkPage>;

/** The filters of a query: everything but the paging fields, which the window sets. */
export type NxlinkFilter = Omit<NxlinkQuery, 'after' | 'before' | 'limit'>;

const CURSOR_KIND = 'NxlinkCustomer';
/** A 64-bit NXLink id, kept as decimal digits so it goes back to NXLink exactly. */
const idSchema = z.string().regex(/^[0-9]{1,20}$/);

export function encodeNxlinkCursor(id: string): string {
  return encodeCursor(CURSOR_KIND, id);
}

export function decodeNxlinkCursor(cursor: string, argument: string): string {
  return decodeCursor(CURSOR_KIND, cursor, idSchema, argument);
}

/**
 * Reads up to `want` customers next to the customer `from` (exclusive), in as many calls as
 * NXLink's limit of 50 makes necessary. Forward reads older customers (`after`), backward newer
 * ones (`before`); without `from`, forward starts at the newest and backward at the oldest
 * (`before=0`: the customers with id > 0 nearest to 0). NXLink's own paging says whether more
 * lie beyond, so no extra customer is read for that. The answer is in list order, newest first.
 */
export async function readNxlink(
  fetch: NxlinkFetch,
  filter: NxlinkFilter,
  direction: 'forward' | 'backward',
  from: string | undefined,
  want: number,
): Promise<{ customers: NxlinkCustomerRecord[]; more: boolean }> {
  const forward = direction === 'forward';
  const pages: NxlinkCustomerRecord[][] = [];
  let got = 0;
  let cursor = from ?? (forward ? undefined : '0');
  let last: NxlinkPaging | undefined;
  do {
    // A limit of at least 1 even for `want` 0 still tells whether anything lies beyond.
    const limit = Math.min(NXLINK_MAX_LIMIT, Math.max(1, want - got));
    const page = await fetch({
      ...filter,
      ...(cursor === undefined ? {} : forward ? { after: cursor } : { before: cursor }),
      limit,
    });
    pages.push(page.customers);
    got += page.customers.length;
    last = page.paging;
    cursor = forward ? page.paging.after ?? undefined : page.paging.before ?? undefined;
    if (page.customers.length < limit || cursor === undefined) break;
  } while (got < want && (forward ? last.next : last.previous) !== null);

  const beyond = (forward ? last?.next : last?.previous) ?? null;
  // Backward pages arrive nearest-first; each one is newer than the one before it.
  const customers = (forward ? pages : pages.reverse()).flat();
  const more = customers.length > want || beyond !== null;
  return {
    customers: forward ? customers.slice(0, want) : customers.slice(customers.length - want),
    more,
  };
}

export interface NxlinkPageInput {
  request: PageRequest;
  filter: NxlinkFilter;
  fetch: NxlinkFetch;
}

export async function pageNxlink({ request, filter, fetch }: NxlinkPageInput): Promise<Page<NxlinkCustomerRecord>> {
  const forward = request.direction === 'forward';
  const from =
    request.cursor === undefined
      ? undefined
      : decodeNxlinkCursor(request.cursor, forward ? 'after' : 'before');
  const { customers, more } = await readNxlink(fetch, filter, request.direction, from, request.size);
  return {
    items: customers.map((node) => ({ node, cursor: encodeNxlinkCursor(node.id) })),
    hasNextPage: forward ? more : from !== undefined,
    hasPreviousPage: forward ? from !== undefined : more,
  };
}
