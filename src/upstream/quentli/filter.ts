import qs from 'qs';
import { UpstreamError } from '../errors.ts';
import type { QuentliCustomerFilter, QuentliListParams, QuentliOrderBy } from './records.ts';

/**
 * What the gateway sends beyond Quentli's documentation: nothing, unless an operator checked
 * the real API (`npm run doctor`) and turned a setting on.
 */
export interface QuentliEncoding {
  /**
   * Most items of one list inside `filter` (`id[in]`). A server that parses `filter` with qs's
   * defaults reads items past the 20th as object keys, so the default is 20; longer look-ups
   * are split into several calls (QUENTLI_MAX_LIST_ITEMS).
   */
  maxListItems: number;
  /**
   * Whether Quentli accepts a second sort key (`orderBy[0][createdAt]=desc&orderBy[1][id]=desc`,
   * QUENTLI_TIE_BREAK_SORT). Undocumented: by default the gateway sends one sort key and keeps
   * the order of ties itself (paging/quentli-window.ts).
   */
  tieBreakSortKey: boolean;
}

// Keys stay readable; every value is percent-encoded, so `&`, `=` and brackets inside a value
// never change the structure. A null (`archivedAt: null`, "not archived") is written as a bare
// key, qs's only spelling of null: `archivedAt=` would mean the empty string.
const QS_OPTIONS = { encodeValuesOnly: true, strictNullHandling: true } as const;

/**
 * The query string (without `?`) of `GET /v1/customers`, as the page documents it: `filter`
 * and `orderBy` each one qs-encoded object, e.g.
 * `filter=id%5Bin%5D%5B0%5D%3Da&orderBy=createdAt%3Ddesc&limit=20`.
 */
export function encodeListQuery(params: QuentliListParams, encoding: QuentliEncoding): string {
  const filter = encodeFilter(params.filter, encoding);
  return qs.stringify(
    {
      filter: filter === '' ? undefined : filter,
      orderBy: orderByParam(params.orderBy ?? [], encoding),
      offset: params.offset ? params.offset : undefined,
      limit: params.limit,
    },
    QS_OPTIONS,
  );
}

/** The customerFilter as Quentli's qs text (`name[contains]=john&OR[0][noPayments]=true`). */
export function encodeFilter(filter: QuentliCustomerFilter | undefined, encoding: QuentliEncoding): string {
  if (filter === undefined) return '';
  const longest = longestList(filter);
  if (longest > encoding.maxListItems) {
    throw new UpstreamError(
      'QUENTLI',
      'UPSTREAM_REJECTED',
      `Quentli query not sent: a list in filter holds ${longest} items; Quentli is configured to read at most ${encoding.maxListItems} (QUENTLI_MAX_LIST_ITEMS)`,
    );
  }
  return qs.stringify(filter, QS_OPTIONS);
}

/** The length of the longest list anywhere in `value` (the lists of AND/OR/NOT included). */
export function longestList(value: unknown): number {
  if (typeof value !== 'object' || value === null) return 0;
  let longest = Array.isArray(value) ? value.length : 0;
  for (const item of Array.isArray(value) ? value : Object.values(value))
    longest = Math.max(longest, longestList(item));
  return longest;
}

function orderByParam(
  orderBy: readonly QuentliOrderBy[],
  encoding: QuentliEncoding,
): string | QuentliOrderBy[] | undefined {
  const keys = orderBy.flatMap((entry) =>
    Object.entries(entry)
      .filter(([, direction]) => direction !== undefined)
      .map(([field, direction]): QuentliOrderBy => ({ [field]: direction })),
  );
  if (keys.length === 0) return undefined;
  if (keys.length === 1) return qs.stringify(keys[0], QS_OPTIONS);
  if (!encoding.tieBreakSortKey) {
    throw new UpstreamError(
      'QUENTLI',
      'UPSTREAM_REJECTED',
      `Quentli query not sent: ${keys.length} sort keys, and Quentli is configured for one (QUENTLI_TIE_BREAK_SORT)`,
    );
  }
  return keys;
}
