import type { GatewayContext } from '../context.ts';
import { DEFAULT_PAGE_SIZE, emptyPage, MAX_PAGE_SIZE, type ConnectionArgs, type Page } from '../paging/page-request.ts';
import { UpstreamError, type UpstreamSource } from '../upstream/errors.ts';
import type { builder } from './builder.ts';
import { CustomerSourceEnum } from './customer.ts';
import { upstreamGraphQLError } from './errors.ts';

export interface ConnectionShape<T> {
  edges: { node: T; cursor: string }[];
  pageInfo: {
    hasNextPage: boolean;
    hasPreviousPage: boolean;
    startCursor: string | null;
    endCursor: string | null;
  };
  /** Sources that failed for this page: their customers are missing from it. */
  unavailableSources: UpstreamSource[];
}

/**
 * What a page costs: its items times the page size the client asked for, counted up to the
 * largest page there is: a larger size is refused by the page-size rule, with its own message,
 * rather than priced.
 */
export function connectionComplexity(args: ConnectionArgs): { field: number; multiplier: number } {
  const size = args.first ?? args.last ?? DEFAULT_PAGE_SIZE;
  return {
    field: 1,
    multiplier: Math.min(MAX_PAGE_SIZE, Math.max(1, Number.isFinite(size) ? size : DEFAULT_PAGE_SIZE)),
  };
}

export function toConnection<T>(page: Page<T>, unavailableSources: UpstreamSource[] = []): ConnectionShape<T> {
  return {
    edges: page.items,
    pageInfo: {
      hasNextPage: page.hasNextPage,
      hasPreviousPage: page.hasPreviousPage,
      startCursor: page.startCursor ?? page.items[0]?.cursor ?? null,
      endCursor: page.endCursor ?? page.items.at(-1)?.cursor ?? null,
    },
    unavailableSources,
  };
}

/**
 * Partial results. When a source fails, its connection still answers (the contract's
 * connections are non-null, and a null would null the whole response, the other root fields'
 * data with it) with what the other source returned, or an empty page, and says so twice:
 *
 * - in the data, as `unavailableSources`, typed and cached by clients like any field;
 * - as an error in the response's `errors` with `extensions.code` and `extensions.source` but
 *   without a `path`: in the GraphQL spec an error at a path means that the field there is
 *   null, which this one is not. Clients that read errors beside data (Apollo's
 *   `errorPolicy: "all"`, urql's `CombinedError`, Relay) keep both.
 *
 * These errors go to `context.partialErrors`; the partial-errors plugin adds them to the response.
 */
export function reportUnavailable(context: GatewayContext, error: UpstreamError): UpstreamSource {
  context.partialErrors.push(upstreamGraphQLError(error));
  return error.source;
}

/** The connection fields every customer connection has beside the Relay ones. */
export const connectionFields = {
  fields: <Shape extends object>(t: PothosSchemaTypes.ObjectFieldBuilder<BuilderTypes, Shape>) => ({
    unavailableSources: t.field({
      type: [CustomerSourceEnum],
      nullable: false,
      description:
        'Sources that could not be read for this page (an outage, a timeout): their customers are missing from it, and an error without a `path` in the response names each one (`extensions.source`). Empty when every source answered.',
      // Pothos types a connection's parent as its Relay fields only; every customer connection
      // resolves to a ConnectionShape, built by toConnection.
      resolve: (connection) =>
        (connection as Shape & Pick<ConnectionShape<unknown>, 'unavailableSources'>).unavailableSources,
    }),
  }),
};

type BuilderTypes = typeof builder extends PothosSchemaTypes.SchemaBuilder<infer Types> ? Types : never;

/**
 * A source's connection: the page, or when its upstream fails, an empty page that says so (see
 * reportUnavailable).
 */
export async function resolveSourcePage<T>(
  context: GatewayContext,
  read: () => Promise<Page<T>>,
): Promise<ConnectionShape<T>> {
  try {
    return toConnection(await read());
  } catch (error) {
    if (!(error instanceof UpstreamError)) throw error;
    return toConnection(emptyPage<T>(), [reportUnavailable(context, error)]);
  }
}
