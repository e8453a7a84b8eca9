export interface CursorRequest {
  /** Customers with id < after. */
  after?: bigint;
  /** The `limit` customers with id > before nearest to it. */
  before?: bigint;
  limit: number;
}

export interface Paging {
  /** Last id of the page: send as `after` to go on. */
  after: bigint | null;
  /** First id of the page: send as `before` to go back. */
  before: bigint | null;
  /** First id of the page before this one; null when nothing is newer. */
  previous: bigint | null;
  /** First id of the page after this one; null on the last page. */
  next: bigint | null;
}

/**
 * Cuts one page out of a list sorted by id descending (newest first). Pages are windows on that
 * list, so `previous`/`next` name the first id of the neighbouring windows of the same size.
 */
export function cutPage<T extends { id: bigint }>(
  items: readonly T[],
  request: CursorRequest,
): { items: T[]; paging: Paging } {
  const { after, before, limit } = request;
  let start: number;
  let end: number;
  if (before !== undefined) {
    end = firstIndexAtOrBelow(items, before);
    start = Math.max(0, end - limit);
  } else {
    start = after === undefined ? 0 : firstIndexAtOrBelow(items, after - 1n);
    end = Math.min(items.length, start + limit);
  }
  const page = items.slice(start, end);
  const first = page[0];
  const last = page.at(-1);
  if (first === undefined || last === undefined)
    return { items: [], paging: { after: null, before: null, previous: null, next: null } };
  return {
    items: page,
    paging: {
      after: last.id,
      before: first.id,
      previous: start === 0 ? null : (items[Math.max(0, start - limit)]?.id ?? null),
      next: items[end]?.id ?? null,
    },
  };
}

/** Index of the first item whose id is <= bound (items are sorted by id descending). */
function firstIndexAtOrBelow(items: readonly { id: bigint }[], bound: bigint): number {
  let low = 0;
  let high = items.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    const item = items[middle];
    if (item !== undefined && item.id > bound) low = middle + 1;
    else high = middle;
  }
  return low;
}
