import { expect } from 'vitest';
import type { TestGateway } from './gateway.ts';

export interface Edge {
  cursor: string;
  node: Record<string, unknown> & { id: string; sourceId: string };
}

export interface Connection {
  edges: Edge[];
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
}

/**
 * Reads a whole connection page by page, forward (`first`/`after`) or backward
 * (`last`/`before`), and returns its nodes in list order. `between` runs between page requests.
 */
export async function walk(
  gateway: TestGateway,
  field: string,
  query: string,
  options: {
    direction: 'forward' | 'backward';
    size: number;
    variables?: Record<string, unknown>;
    /** The cursor to start from; the start (or end) of the list without it. */
    from?: string;
    between?: () => unknown;
  },
): Promise<Edge['node'][]> {
  const nodes: Edge['node'][] = [];
  let cursor: string | null = options.from ?? null;
  for (let page = 0; page < 1000; page++) {
    const forward = options.direction === 'forward';
    const response = await gateway.graphql(query, {
      ...options.variables,
      ...(forward ? { first: options.size, after: cursor } : { last: options.size, before: cursor }),
    });
    expect(response.errors).toBeUndefined();
    const connection = response.data[field] as Connection;
    const pageNodes = connection.edges.map((edge) => edge.node);
    if (forward) nodes.push(...pageNodes);
    else nodes.unshift(...pageNodes);
    const more = forward ? connection.pageInfo.hasNextPage : connection.pageInfo.hasPreviousPage;
    if (!more) return nodes;
    cursor = forward ? connection.pageInfo.endCursor : connection.pageInfo.startCursor;
    await options.between?.();
  }
  throw new Error(`walking ${field} did not end`);
}
