import { BadInputError } from '../errors.ts';

export const MAX_PAGE_SIZE = 100;
export const DEFAULT_PAGE_SIZE = 20;

/** Relay connection arguments as GraphQL hands them over: explicit null means "not given". */
export interface ConnectionArgs {
  first?: number | null;
  last?: number | null;
  after?: string | null;
  before?: string | null;
}

/**
 * One page to read, in one direction: `forward` reads the `size` items after `cursor` (or from
 * the start), `backward` the `size` items before `cursor` (or the last ones of the list).
 */
export type Direction = 'forward' | 'backward';

export interface PageRequest {
  direction: Direction;
  size: number;
  cursor: string | undefined;
}

export function toPageRequest(args: ConnectionArgs): PageRequest {
  const first = args.first ?? undefined;
  const last = args.last ?? undefined;
  const after = args.after ?? undefined;
  const before = args.before ?? undefined;

  if (first !== undefined && last !== undefined) {
    throw new BadInputError(
      'Pass either `first` (with `after`) to page forward or `last` (with `before`) to page backward, not both.',
      ['first'],
    );
  }
  if (after !== undefined && before !== undefined) {
    throw new BadInputError('Pass either `after` or `before`, not both.', ['after']);
  }
  const backward = last !== undefined || (first === undefined && before !== undefined);
  if (backward && after !== undefined) {
    throw new BadInputError('`after` pages forward: use it with `first`, not `last`.', ['after']);
  }
  if (!backward && before !== undefined) {
    throw new BadInputError('`before` pages backward: use it with `last`, not `first`.', ['before']);
  }
  const argument = backward ? 'last' : 'first';
  const size = (backward ? last : first) ?? DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(size) || size < 0 || size > MAX_PAGE_SIZE) {
    throw new BadInputError(`\`${argument}\` must be a whole number from 0 to ${MAX_PAGE_SIZE}; got ${size}.`, [
      argument,
    ]);
  }
  return { direction: backward ? 'backward' : 'forward', size, cursor: backward ? before : after };
}

/** One page of a connection, in list order, before it is shaped into Relay edges. */
export interface Page<T> {
  items: { node: T; cursor: string }[];
  hasNextPage: boolean;
  hasPreviousPage: boolean;
  /**
   * Where a page that stopped early (a bounded scan) ends: past its last item, possibly with no
   * items at all. Otherwise the last (first) item's cursor is the end (start) cursor.
   */
  endCursor?: string;
  startCursor?: string;
}

export function emptyPage<T>(): Page<T> {
  return { items: [], hasNextPage: false, hasPreviousPage: false };
}
