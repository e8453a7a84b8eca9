import { z } from 'zod';
import { BadInputError } from '../errors.ts';
import type {
  QuentliCustomerFilter,
  QuentliCustomerRecord,
  QuentliListParams,
  QuentliOrderBy,
  QuentliOrderField,
  SortDirection,
} from '../upstream/quentli/records.ts';
import { decodeCursor, encodeCursor } from './cursor.ts';
import type { Page, PageRequest } from './page-request.ts';

export const QUENTLI_MAX_LIMIT = 100;

export type QuentliFetch = (params: QuentliListParams) => Promise<QuentliCustomerRecord[]>;

export interface SortKey {
  field: QuentliOrderField;
  direction: SortDirection;
}

/** Quentli's documented default order. */
export const DEFAULT_SORT: readonly SortKey[] = [
  { field: 'createdAt', direction: 'desc' },
  { field: 'id', direction: 'desc' },
];

/** Fields that are never null, so a position in them can be expressed as a filter. */
const KEYSET_FIELDS: ReadonlySet<QuentliOrderField> = new Set(['createdAt', 'updatedAt', 'id']);

/**
 * The total order a list is read in: the client's keys, then `id`. Without `id` last, rows
 * that tie on every key may come back in any order, and a page boundary between them would
 * repeat or skip rows.
 */
export function sortKeys(orderBy: readonly QuentliOrderBy[] | undefined): SortKey[] {
  if (orderBy === undefined || orderBy.length === 0) return [...DEFAULT_SORT];
  const keys = orderBy.map((entry, index) => {
    const fields = Object.entries(entry).filter(([, direction]) => direction !== undefined);
    const [only] = fields;
    if (fields.length !== 1 || only === undefined) {
      throw new BadInputError(
        `orderBy[${index}] must set exactly one field (createdAt, updatedAt, name or id); got ${fields.length}.`,
        ['orderBy', String(index)],
      );
    }
    return { field: only[0] as QuentliOrderField, direction: only[1] as SortDirection };
  });
  const seen = new Set<QuentliOrderField>();
  for (const [index, key] of keys.entries()) {
    if (seen.has(key.field)) {
      throw new BadInputError(`orderBy[${index}] orders by ${key.field} a second time.`, ['orderBy', String(index)]);
    }
    seen.add(key.field);
  }
  if (!seen.has('id')) keys.push({ field: 'id', direction: 'desc' });
  return keys;
}

export function toOrderBy(keys: readonly SortKey[]): QuentliOrderBy[] {
  return keys.map(({ field, direction }) => ({ [field]: direction }));
}

export function reversed(keys: readonly SortKey[]): SortKey[] {
  return keys.map(({ field, direction }) => ({
    field,
    direction: direction === 'asc' ? 'desc' : 'asc',
  }));
}

export function keyValues(record: QuentliCustomerRecord, keys: readonly SortKey[]): string[] {
  return keys.map(({ field }) => String(record[field]));
}

/**
 * The rows after `values` in the order `keys` (and the row at `values` itself when
 * `inclusive`), as a Prisma-style filter: (k1 beyond v1) OR (k1 = v1 AND k2 beyond v2) OR ...
 */
export function keysetFilter(
  keys: readonly SortKey[],
  values: readonly string[],
  inclusive = false,
): QuentliCustomerFilter {
  const branches = keys.map((key, index) => {
    const branch: QuentliCustomerFilter = {};
    for (let j = 0; j < index; j++) branch[keys[j]!.field] = values[j]!;
    const value = values[index]!;
    const orEqual = inclusive && index === keys.length - 1;
    branch[key.field] =
      key.direction === 'desc' ? (orEqual ? { lte: value } : { lt: value }) : orEqual ? { gte: value } : { gt: value };
    return branch;
  });
  return branches.length === 1 ? branches[0]! : { OR: branches };
}

export function withFilter(
  filter: QuentliCustomerFilter | undefined,
  extra: QuentliCustomerFilter | undefined,
): QuentliCustomerFilter | undefined {
  if (extra === undefined) return filter;
  if (filter === undefined || Object.keys(filter).length === 0) return extra;
  return { AND: [filter, extra] };
}

/**
 * Reads up to `want` rows in the order `keys`, starting after the row at `after` (at it, when
 * `inclusive`; from the start without `after`), in as many calls as Quentli's limit of 100
 * makes necessary.
 *
 * Quentli documents `orderBy` as one sort key. Unless `sendAllKeys` (an operator verified that
 * Quentli accepts more, QUENTLI_TIE_BREAK_SORT), only the first key is sent, and the gateway
 * orders ties itself: a full batch's last group of rows sharing that key (which may continue past
 * the batch, in an order Quentli does not define) is read again on its own, filtered to that
 * value with the equality form and ordered by the next key, and so on down to `id`. Paging stays
 * exact with one sort key; every filter it uses is documented.
 */
export async function readKeyset(
  fetch: QuentliFetch,
  filter: QuentliCustomerFilter | undefined,
  keys: readonly SortKey[],
  after: readonly string[] | undefined,
  want: number,
  inclusive = false,
  sendAllKeys = false,
): Promise<QuentliCustomerRecord[]> {
  if (sendAllKeys || keys.length === 1) return readSortedByQuentli(fetch, filter, keys, after, want, inclusive);
  const [first, ...rest] = keys as [SortKey, ...SortKey[]];
  const compare = comparator(keys);
  const rows: QuentliCustomerRecord[] = [];
  let position = after;
  let orEqual = inclusive;
  while (rows.length < want) {
    const need = want - rows.length;
    // One row more than needed: when it shares the last needed row's key, that group is cut.
    const limit = Math.min(QUENTLI_MAX_LIMIT, need + 1);
    const batch = await fetch({
      filter: withFilter(filter, position && keysetFilter(keys, position, orEqual)),
      orderBy: toOrderBy([first]),
      limit,
    });
    batch.sort(compare);
    if (batch.length < limit) {
      rows.push(...batch.slice(0, need));
      break;
    }
    const edge = keyOf(batch[batch.length - 1]!, first.field);
    const settled = batch.filter((row) => keyOf(row, first.field) !== edge);
    rows.push(...settled.slice(0, need));
    if (rows.length >= want) break;
    const inGroup = position !== undefined && position[0] === edge;
    const group = await readKeyset(
      fetch,
      withFilter(filter, { [first.field]: edge }),
      rest,
      inGroup ? position!.slice(1) : undefined,
      want - rows.length,
      inGroup && orEqual,
    );
    rows.push(...group);
    const last = rows.at(-1);
    // A group read short is complete: go on past it. An empty one means the rows changed under
    // the read (deleted meanwhile): stop rather than read the same batch again.
    if (rows.length >= want || group.length === 0 || last === undefined) break;
    position = keyValues(last, keys);
    orEqual = false;
  }
  return rows;
}

/** Rows in the order `keys` with every key sent to Quentli: Quentli orders them all. */
async function readSortedByQuentli(
  fetch: QuentliFetch,
  filter: QuentliCustomerFilter | undefined,
  keys: readonly SortKey[],
  after: readonly string[] | undefined,
  want: number,
  inclusive: boolean,
): Promise<QuentliCustomerRecord[]> {
  const rows: QuentliCustomerRecord[] = [];
  let position = after;
  let orEqual = inclusive;
  while (rows.length < want) {
    const limit = Math.min(QUENTLI_MAX_LIMIT, want - rows.length);
    const batch = await fetch({
      filter: withFilter(filter, position && keysetFilter(keys, position, orEqual)),
      orderBy: toOrderBy(keys),
      limit,
    });
    rows.push(...batch);
    const last = batch.at(-1);
    if (batch.length < limit || last === undefined) break;
    position = keyValues(last, keys);
    orEqual = false;
  }
  return rows;
}

function keyOf(record: QuentliCustomerRecord, field: QuentliOrderField): string {
  return String(record[field]);
}

/**
 * The order `keys` as Quentli applies it: instants by time (their text may carry an offset),
 * ids by code unit, as `lt`/`gt` on them compare.
 */
function comparator(keys: readonly SortKey[]): (a: QuentliCustomerRecord, b: QuentliCustomerRecord) => number {
  return (a, b) => {
    for (const { field, direction } of keys) {
      const order =
        field === 'id' ? compareText(a.id, b.id) : Date.parse(keyOf(a, field)) - Date.parse(keyOf(b, field));
      if (order !== 0) return direction === 'asc' ? order : -order;
    }
    return 0;
  };
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Rows by offset. With one sort key (the documented form) ties follow Quentli's own order,
 * which offsets count in as long as Quentli keeps it from call to call.
 */
async function readOffset(
  fetch: QuentliFetch,
  filter: QuentliCustomerFilter | undefined,
  keys: readonly SortKey[],
  offset: number,
  want: number,
  sendAllKeys: boolean,
): Promise<QuentliCustomerRecord[]> {
  const orderBy = toOrderBy(sendAllKeys ? keys : keys.slice(0, 1));
  const rows: QuentliCustomerRecord[] = [];
  while (rows.length < want) {
    const limit = Math.min(QUENTLI_MAX_LIMIT, want - rows.length);
    const batch = await fetch({ filter, orderBy, offset: offset + rows.length, limit });
    rows.push(...batch);
    if (batch.length < limit) break;
  }
  return rows;
}

/**
 * A position in the list. `keyset` holds the sort-key values of a row, which stay valid when
 * rows are inserted before it. `offset` is the fallback for orders on nullable fields (`name`),
 * where a keyset filter would need to know where the upstream sorts nulls: it counts from the
 * start of the list, or from its end when `fromEnd` (cursors made by `last` without `before`,
 * read in the reversed order, since Quentli has no total count).
 */
const positionSchema = z.union([
  z.object({ order: z.string(), keyset: z.array(z.string()) }),
  z.object({ order: z.string(), offset: z.number().int().nonnegative(), fromEnd: z.boolean() }),
]);
type Position = z.infer<typeof positionSchema>;

const CURSOR_KIND = 'QuentliCustomer';

export function encodeQuentliCursor(position: Position): string {
  return encodeCursor(CURSOR_KIND, position);
}

export interface QuentliPageInput {
  request: PageRequest;
  filter?: QuentliCustomerFilter | undefined;
  orderBy?: readonly QuentliOrderBy[] | undefined;
  fetch: QuentliFetch;
  /** Quentli accepts several sort keys (QUENTLI_TIE_BREAK_SORT); by default one is sent. */
  sendAllKeys?: boolean;
}

export async function pageQuentli(input: QuentliPageInput): Promise<Page<QuentliCustomerRecord>> {
  const { request } = input;
  const keys = sortKeys(input.orderBy);
  const order = keys.map(({ field, direction }) => `${field}:${direction}`).join(',');
  const argument = request.direction === 'forward' ? 'after' : 'before';
  const position =
    request.cursor === undefined ? undefined : decodeCursor(CURSOR_KIND, request.cursor, positionSchema, argument);
  if (position !== undefined && position.order !== order) {
    throw new BadInputError(
      `\`${argument}\` was made for another orderBy (${position.order}); page on with the orderBy it was made for.`,
      [argument],
    );
  }
  if (keys.every(({ field }) => KEYSET_FIELDS.has(field))) {
    if (position !== undefined && !('keyset' in position && position.keyset.length === keys.length)) {
      throw new BadInputError(`\`${argument}\` is not a cursor of this connection.`, [argument]);
    }
    return pageByKeyset(input, keys, order, position?.keyset);
  }
  if (position !== undefined && !('offset' in position)) {
    throw new BadInputError(`\`${argument}\` is not a cursor of this connection.`, [argument]);
  }
  return pageByOffset(input, keys, order, position);
}

async function pageByKeyset(
  { request, filter, fetch, sendAllKeys = false }: QuentliPageInput,
  keys: SortKey[],
  order: string,
  after: string[] | undefined,
): Promise<Page<QuentliCustomerRecord>> {
  const forward = request.direction === 'forward';
  const rows = await readKeyset(
    fetch,
    filter,
    forward ? keys : reversed(keys),
    after,
    request.size + 1,
    false,
    sendAllKeys,
  );
  const more = rows.length > request.size;
  const page = rows.slice(0, request.size);
  if (!forward) page.reverse();
  return {
    items: page.map((node) => ({
      node,
      cursor: encodeQuentliCursor({ order, keyset: keyValues(node, keys) }),
    })),
    hasNextPage: forward ? more : after !== undefined,
    hasPreviousPage: forward ? after !== undefined : more,
  };
}

async function pageByOffset(
  { request, filter, fetch, sendAllKeys = false }: QuentliPageInput,
  keys: SortKey[],
  order: string,
  position: { offset: number; fromEnd: boolean } | undefined,
): Promise<Page<QuentliCustomerRecord>> {
  const forward = request.direction === 'forward';
  const fromEnd = position?.fromEnd ?? !forward;
  // Moving away from the end the offsets count from reads `size + 1` rows past the cursor
  // (the extra one tells whether there are more); moving towards it reads what lies between.
  const away = position === undefined || forward !== fromEnd;
  const start = position === undefined ? 0 : away ? position.offset + 1 : Math.max(0, position.offset - request.size);
  const want = away ? request.size + 1 : position.offset - start;
  const rows = await readOffset(fetch, filter, fromEnd ? reversed(keys) : keys, start, want, sendAllKeys);
  const more = away ? rows.length > request.size : start > 0;
  const items = rows.slice(0, request.size).map((node, index) => ({
    node,
    cursor: encodeQuentliCursor({ order, offset: start + index, fromEnd }),
  }));
  if (fromEnd) items.reverse();
  return {
    items,
    hasNextPage: forward ? more : position !== undefined,
    hasPreviousPage: forward ? position !== undefined : more,
  };
}
