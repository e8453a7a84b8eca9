import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../support/gateway.ts';

/**
 * `customers(filter: {search})`: NXLink cannot match the name, so the gateway reads NXLink pages
 * and matches them itself, at most GATEWAY_SCAN_PAGES pages per request.
 */
const SEARCH = /* GraphQL */ `
  query Search($first: Int, $after: String, $last: Int, $before: String, $search: String!, $sources: [CustomerSource!]) {
    customers(first: $first, after: $after, last: $last, before: $before, filter: { search: $search }, sources: $sources) {
      edges { node { source sourceId name } }
      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    }
  }
`;

interface Page {
  edges: { node: { source: string; sourceId: string; name: string | null } }[];
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
}

let gateway: TestGateway;

beforeAll(async () => {
  gateway = await startTestGateway({ GATEWAY_SCAN_PAGES: '2' });
});

afterAll(async () => {
  await gateway.close();
});

/** A rare piece of a name: some customers have it, far apart. */
function rareSearch(): { search: string; matches: string[] } {
  const names = gateway.sandbox.nxlink.store
    .all()
    .map((customer) => ({ id: customer.id.toString(), name: customer.full_name ?? '' }));
  for (const candidate of ['ña', 'xi', 'úl', 'ch', 'ui', 'ed']) {
    const matches = names.filter((entry) => entry.name.toLowerCase().includes(candidate)).map((entry) => entry.id);
    if (matches.length >= 2 && matches.length <= 10) return { search: candidate, matches };
  }
  throw new Error('no rare name piece in the seed');
}

async function walkSearch(search: string, direction: 'forward' | 'backward', sources: string[]) {
  const seen: string[] = [];
  const calls: number[] = [];
  let cursor: string | null = null;
  let shortPages = 0;
  for (let request = 0; request < 400; request++) {
    gateway.resetRequests();
    const forward = direction === 'forward';
    const { data, errors } = await gateway.graphql(SEARCH, {
      search,
      sources,
      ...(forward ? { first: 5, after: cursor } : { last: 5, before: cursor }),
    });
    expect(errors).toBeUndefined();
    calls.push(gateway.sandbox.nxlink.requests.length);
    const page = data.customers as Page;
    const ids = page.edges.map((edge) => edge.node.sourceId);
    if (forward) seen.push(...ids);
    else seen.unshift(...ids);
    const more = forward ? page.pageInfo.hasNextPage : page.pageInfo.hasPreviousPage;
    if (!more) return { seen, calls, shortPages };
    if (ids.length < 5) shortPages += 1;
    cursor = forward ? page.pageInfo.endCursor : page.pageInfo.startCursor;
    expect(cursor).not.toBeNull();
  }
  throw new Error('the walk did not end');
}

describe('a filter the gateway applies itself, with GATEWAY_SCAN_PAGES=2', () => {
  it('reads at most two NXLink pages per request, and a walk still finds every match once, in order', async () => {
    const { search, matches } = rareSearch();
    const { seen, calls, shortPages } = await walkSearch(search, 'forward', ['NXLINK']);
    expect(seen).toEqual(matches);
    expect(Math.max(...calls)).toBeLessThanOrEqual(2);
    expect(shortPages).toBeGreaterThan(0);
  });

  it('pages backward the same way', async () => {
    const { search, matches } = rareSearch();
    const { seen, calls } = await walkSearch(search, 'backward', ['NXLINK']);
    expect(seen).toEqual(matches);
    expect(Math.max(...calls)).toBeLessThanOrEqual(2);
  });

  it('ends a page early at the scan position, with both sources merged in order and none skipped', async () => {
    const { search } = rareSearch();
    const quentli = gateway.sandbox.quentli.store
      .all()
      .filter((customer) => (customer.name ?? '').toLowerCase().includes(search));
    const nxlink = gateway.sandbox.nxlink.store
      .all()
      .filter((customer) => (customer.full_name ?? '').toLowerCase().includes(search));
    const forward = await walkSearch(search, 'forward', ['QUENTLI', 'NXLINK']);
    expect(forward.seen).toHaveLength(quentli.length + nxlink.length);
    expect(new Set(forward.seen)).toEqual(
      new Set([...quentli.map((c) => c.id), ...nxlink.map((c) => c.id.toString())]),
    );
    const backward = await walkSearch(search, 'backward', ['QUENTLI', 'NXLINK']);
    expect(backward.seen).toEqual(forward.seen);
  });

  it('gives an empty page a cursor to continue from when the scan found nothing', async () => {
    const { data } = await gateway.graphql(SEARCH, { search: 'zzzz-no-such-name', sources: ['NXLINK'], first: 5 });
    const page = data.customers as Page;
    expect(page.edges).toEqual([]);
    expect(page.pageInfo.hasNextPage).toBe(true);
    expect(page.pageInfo.endCursor).not.toBeNull();
  });
});
