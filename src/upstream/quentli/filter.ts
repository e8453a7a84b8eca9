import qs from 'qs';
import type { QuentliCustomerFilter, QuentliListParams, QuentliOrderBy } from './records.ts';

// Keys stay readable (`orderBy[0][createdAt]`) as upstreams.md writes them; every value is
// percent-encoded, so `&`, `=` and brackets inside a value never change the structure. A null
// (`archivedAt: null`, "not archived") is written as a bare key, qs's only spelling of null:
// `archivedAt=` would mean the empty string.
const QS_OPTIONS = { encodeValuesOnly: true, strictNullHandling: true } as const;

/**
 * The query string (without `?`) of `GET /v1/customers`, e.g.
 * `filter=id%5Bin%5D%5B0%5D%3Da&orderBy=createdAt%3Ddesc&limit=20`.
 */
export function encodeListQuery(params: QuentliListParams): string {
  const filter = encodeFilter(params.filter);
  const orderBy = orderByParam(params.orderBy ?? []);
  return qs.stringify(
    {
      filter: filter === '' ? undefined : filter,
      orderBy,
      offset: params.offset ? params.offset : undefined,
      limit: params.limit,
    },
    QS_OPTIONS,
  );
}

/** The customerFilter as Quentli's qs text (`name[contains]=john&OR[0][noPayments]=true`). */
export function encodeFilter(filter: QuentliCustomerFilter | undefined): string {
  return filter === undefined ? '' : qs.stringify(filter, QS_OPTIONS);
}

// upstreams.md documents one order object as the value of `orderBy` (`orderBy=createdAt%3Ddesc`)
// and several as the query's own bracketed keys (`orderBy[0][createdAt]=desc&orderBy[1][id]=desc`);
// both are sent exactly so, one sort key per object as the documentation shows.
function orderByParam(orderBy: QuentliOrderBy[]): string | QuentliOrderBy[] | undefined {
  const keys = orderBy.flatMap((entry) =>
    Object.entries(entry)
      .filter(([, direction]) => direction !== undefined)
      .map(([field, direction]): QuentliOrderBy => ({ [field]: direction })),
  );
  if (keys.length === 0) return undefined;
  if (keys.length === 1) return qs.stringify(keys[0], QS_OPTIONS);
  return keys;
}
