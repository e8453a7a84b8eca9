import { describe, expect, it } from 'vitest';
import { compareMerged, pageCustomers, type MergeEntry, type MergeSources } from '../../src/paging/merge.ts';
import { compareIds } from '../../src/paging/nxlink-window.ts';
import type { Direction, PageRequest } from '../../src/paging/page-request.ts';
import type { NxlinkCustomerRecord } from '../../src/upstream/nxlink/records.ts';
import type { QuentliCustomerRecord } from '../../src/upstream/quentli/records.ts';

// In-memory sources that keep the reader contract of MergeSources exactly: nearest first,
// exclusive positions (inclusive on request), each in its upstream's own order.

const at = (minute: number) => new Date(Date.UTC(2026, 0, 1, 0, minute)).toISOString();

function quentli(id: string, minute: number): QuentliCustomerRecord {
  return { id, createdAt: at(minute) } as QuentliCustomerRecord;
}

function nxlink(id: string, minute: number): NxlinkCustomerRecord {
  return { id, createdAt: at(minute) } as NxlinkCustomerRecord;
}

class Sources {
  failing = new Set<'QUENTLI' | 'NXLINK'>();
  calls = 0;

  constructor(
    public quentliRows: QuentliCustomerRecord[],
    public nxlinkRows: NxlinkCustomerRecord[],
  ) {}

  get readers(): MergeSources {
    return {
      quentli: async (direction, from, inclusive, want) => {
        this.calls++;
        if (this.failing.has('QUENTLI')) throw new Error('quentli down');
        const rows = this.sortedQuentli();
        const key = (r: QuentliCustomerRecord) => `${r.createdAt}|${r.id}`;
        const fromKey = from === undefined ? undefined : `${from[0]}|${from[1]}`;
        const forward = direction === 'forward';
        const ordered = forward ? rows : [...rows].reverse();
        return ordered
          .filter((r) =>
            fromKey === undefined
              ? true
              : forward
                ? key(r) < fromKey || (inclusive && key(r) === fromKey)
                : key(r) > fromKey || (inclusive && key(r) === fromKey),
          )
          .slice(0, want);
      },
      nxlink: async (direction, from, want) => {
        this.calls++;
        if (this.failing.has('NXLINK')) throw new Error('nxlink down');
        const rows = [...this.nxlinkRows].sort((a, b) => compareIds(b.id, a.id));
        const forward = direction === 'forward';
        const ordered = forward ? rows : rows.reverse();
        const next = ordered.filter((r) =>
          from === undefined ? true : forward ? compareIds(r.id, from) < 0 : compareIds(r.id, from) > 0,
        );
        return { customers: next.slice(0, want), more: next.length > want };
      },
    };
  }

  sortedQuentli() {
    return [...this.quentliRows].sort((a, b) =>
      a.createdAt === b.createdAt ? (a.id < b.id ? 1 : -1) : a.createdAt < b.createdAt ? 1 : -1,
    );
  }

  all(): MergeEntry[] {
    return [
      ...this.quentliRows.map((record) => ({ source: 'QUENTLI' as const, record })),
      ...this.nxlinkRows.map((record) => ({ source: 'NXLINK' as const, record })),
    ].sort(compareMerged);
  }
}

const label = (entry: MergeEntry) => `${entry.source[0]}:${entry.record.id}`;

async function walk(sources: Sources, direction: Direction, size: number, between?: () => void) {
  const seen: string[] = [];
  let cursor: string | undefined;
  for (let pages = 0; pages < 100; pages++) {
    const request: PageRequest = { direction, size, cursor };
    const { page } = await pageCustomers(request, sources.readers);
    const labels = page.items.map((item) => label(item.node));
    if (direction === 'forward') seen.push(...labels);
    else seen.unshift(...labels);
    const more = direction === 'forward' ? page.hasNextPage : page.hasPreviousPage;
    if (!more) return seen;
    cursor = direction === 'forward' ? page.items.at(-1)?.cursor : page.items[0]?.cursor;
    between?.();
  }
  throw new Error('walk did not end');
}

// Ties on purpose: equal createdAt within Quentli, within NXLink, and across both.
const fixture = () =>
  new Sources(
    [quentli('c05', 9), quentli('c04', 9), quentli('c03', 7), quentli('c02', 5), quentli('c01', 1)],
    [
      nxlink('9007199254740997', 9),
      nxlink('9007199254740995', 8),
      nxlink('9007199254740994', 7),
      nxlink('9007199254740993', 2),
    ],
  );

describe('the merged order', () => {
  it('is newest first, Quentli before NXLink on equal createdAt, then sourceId descending', () => {
    expect(fixture().all().map(label)).toEqual([
      'Q:c05',
      'Q:c04',
      'N:9007199254740997',
      'N:9007199254740995',
      'Q:c03',
      'N:9007199254740994',
      'Q:c02',
      'N:9007199254740993',
      'Q:c01',
    ]);
  });

  it('compares 64-bit NXLink ids as numbers, not text', () => {
    const small = { source: 'NXLINK', record: nxlink('999', 1) } as const;
    const large = { source: 'NXLINK', record: nxlink('1000', 1) } as const;
    expect(compareMerged(large, small)).toBeLessThan(0);
  });
});

describe('paging through both sources', () => {
  it.each([1, 2, 3, 4, 9, 10])('forward in pages of %i sees every customer once, in order', async (size) => {
    const sources = fixture();
    expect(await walk(sources, 'forward', size)).toEqual(sources.all().map(label));
  });

  it.each([1, 2, 3, 4, 9, 10])('backward in pages of %i sees every customer once, in order', async (size) => {
    const sources = fixture();
    expect(await walk(sources, 'backward', size)).toEqual(sources.all().map(label));
  });

  it('returns the oldest customers for `last` without `before`, and says more precede them', async () => {
    const { page } = await pageCustomers({ direction: 'backward', size: 2, cursor: undefined }, fixture().readers);
    expect(page.items.map((item) => label(item.node))).toEqual(['N:9007199254740993', 'Q:c01']);
    expect(page.hasPreviousPage).toBe(true);
    expect(page.hasNextPage).toBe(false);
  });

  it('turns back from a forward page onto exactly the customers before it', async () => {
    const sources = fixture();
    const first = await pageCustomers({ direction: 'forward', size: 5, cursor: undefined }, sources.readers);
    const fifth = first.page.items[4]!.cursor;
    const back = await pageCustomers({ direction: 'backward', size: 3, cursor: fifth }, sources.readers);
    expect(back.page.items.map((item) => label(item.node))).toEqual(
      first.page.items.slice(1, 4).map((item) => label(item.node)),
    );
    expect(back.page.hasPreviousPage).toBe(true);
    expect(back.page.hasNextPage).toBe(true);
  });

  it('sees each customer once although customers are created between pages', async () => {
    const sources = fixture();
    const before = sources.all().map(label);
    let minute = 100;
    const seen = await walk(sources, 'forward', 2, () => {
      minute++;
      sources.quentliRows.push(quentli(`c9${minute}`, minute));
      sources.nxlinkRows.push(nxlink(`90071992547410${minute}`, minute));
    });
    expect(seen).toEqual(before);
  });

  it('answers an empty page with no next or previous page when both sources are empty', async () => {
    const { page } = await pageCustomers(
      { direction: 'forward', size: 5, cursor: undefined },
      new Sources([], []).readers,
    );
    expect(page).toEqual({ items: [], hasNextPage: false, hasPreviousPage: false });
  });

  it('ends exactly on the last page: hasNextPage is false when the page takes the last customer', async () => {
    const { page } = await pageCustomers({ direction: 'forward', size: 9, cursor: undefined }, fixture().readers);
    expect(page.items).toHaveLength(9);
    expect(page.hasNextPage).toBe(false);
  });

  it('reads no customer for a page of 0 beyond what tells whether more follow', async () => {
    const { page } = await pageCustomers({ direction: 'forward', size: 0, cursor: undefined }, fixture().readers);
    expect(page.items).toEqual([]);
    expect(page.hasNextPage).toBe(true);
  });
});

describe('a failing source', () => {
  it("still answers the other source's customers and reports the failed one", async () => {
    const sources = fixture();
    sources.failing.add('NXLINK');
    const { page, failures } = await pageCustomers(
      { direction: 'forward', size: 3, cursor: undefined },
      sources.readers,
    );
    expect(page.items.map((item) => label(item.node))).toEqual(['Q:c05', 'Q:c04', 'Q:c03']);
    expect(failures.map((failure) => failure.source)).toEqual(['NXLINK']);
    expect(page.hasNextPage).toBe(true);
  });

  it('keeps its position in the cursor, so paging on after recovery loses none of its customers', async () => {
    const sources = fixture();
    sources.failing.add('NXLINK');
    const first = await pageCustomers({ direction: 'forward', size: 3, cursor: undefined }, sources.readers);
    sources.failing.clear();
    const seen = first.page.items.map((item) => label(item.node));
    let cursor = first.page.items.at(-1)?.cursor;
    for (;;) {
      const { page } = await pageCustomers({ direction: 'forward', size: 3, cursor }, sources.readers);
      seen.push(...page.items.map((item) => label(item.node)));
      if (!page.hasNextPage) break;
      cursor = page.items.at(-1)?.cursor;
    }
    expect([...seen].sort()).toEqual(sources.all().map(label).sort());
    expect(new Set(seen).size).toBe(seen.length);
  });
});

describe('merged cursors', () => {
  it('are refused by a source connection and vice versa', async () => {
    const { page } = await pageCustomers({ direction: 'forward', size: 1, cursor: undefined }, fixture().readers);
    const { pageNxlink } = await import('../../src/paging/nxlink-window.ts');
    await expect(
      pageNxlink({
        request: { direction: 'forward', size: 1, cursor: page.items[0]!.cursor },
        filter: {},
        fetch: async () => {
          throw new Error('not called');
        },
      }),
    ).rejects.toThrow(/`after` is not a cursor of this connection/);
  });
});
