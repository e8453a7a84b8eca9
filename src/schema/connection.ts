import type { GraphQLResolveInfo } from 'graphql';
import type { GatewayContext } from '../context.ts';
import { DEFAULT_PAGE_SIZE, emptyPage, type ConnectionArgs, type Page } from '../paging/page-request.ts';
import { UpstreamError } from '../upstream/errors.ts';
import { upstreamGraphQLError } from './errors.ts';

export interface ConnectionShape<T> {
  edges: { node: T; cursor: string }[];
  pageInfo: {
    hasNextPage: boolean;
    hasPreviousPage: boolean;
    startCursor: string | null;
    endCursor: string | null;
  };
}

/** What a page costs: its items times the page size the client asked for. */
export function connectionComplexity(args: ConnectionArgs): { field: number; multiplier: number } {
  const size = args.first ?? args.last ?? DEFAULT_PAGE_SIZE;
  return { field: 1, multiplier: Math.max(1, Number.isFinite(size) ? size : DEFAULT_PAGE_SIZE) };
}

export function toConnection<T>(page: Page<T>): ConnectionShape<T> {
  return {
    edges: page.items,
    pageInfo: {
      hasNextPage: page.hasNextPage,
      hasPreviousPage: page.hasPreviousPage,
      startCursor: page.startCursor ?? page.items[0]?.cursor ?? null,
      endCursor: page.endCursor ?? page.items.at(-1)?.cursor ?? null,
    },
  };
}

/**
 * A source's connection when its upstream fails: an empty page beside an error that names the
 * source, so the other root fields of the request keep their data (the contract's connections
 * are non-null, and a null here would null the whole response).
 */
export async function resolveSourcePage<T>(
  context: GatewayContext,
  info: GraphQLResolveInfo,
  read: () => Promise<Page<T>>,
): Promise<ConnectionShape<T>> {
  try {
    return toConnection(await read());
  } catch (error) {
    if (!(error instanceof UpstreamError)) throw error;
    context.partialErrors.push(upstreamGraphQLError(error, info.path));
    return toConnection(emptyPage<T>());
  }
}
