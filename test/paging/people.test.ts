import { describe, expect, it } from 'vitest';
import type { MergeEntry, MergeSources } from '../../src/paging/merge.ts';
import { compareIds } from '../../src/paging/nxlink-window.ts';
import type { Direction } from '../../src/paging/page-request.ts';
import { pagePeople, type PeopleWalk } from '../../src/paging/people.ts';
import type { NxlinkCustomerRecord } from '../../src/upstream/nxlink/records.ts';
import type { QuentliCustomerRecord } from '../../src/upstream/quentli/records.ts';

// In-memory sources with the reader contract of MergeSources (see merge.test.ts), and people
// made of records by a label each record carries in its name.

const at = (minute: number) => new Date(Date.UTC(2026, 0, 1, 0, minute)).toISOString();
const q = (id: string, minute: number, person: string) =>
  ({ id, createdAt: at(minute), name: person }) as QuentliCustomerRecord;
const n = (id: string, minute: number, person: string) =>
  ({ id, createdAt: at(minute), fullName: person }) as NxlinkCustomerRecord;

interface TestPerson {
  label: string;
  records: MergeEntry[];
}

class World {
  readCalls = 0;
  constructor(
    public quentli: QuentliCustomerRecord[],
    public nxlink: NxlinkCustomerRecord[],
  ) {}

  get sources(): MergeSources {
    return {
      quentli: async (direction, from, inclusive, want) => {
        this.readCalls++;
        const key = (r: QuentliCustomerRecord) => `${r.createdAt}|${r.id}`;
        const rows = [...this.quentli].sort((a, b) => (key(a) < key(b) ? 1 : -1));
        const forward = direction === 'forward';
        const fromKey = from === undefined ? undefined : `${from[0]}|${from[1]}`;
        return (forward ? rows : rows.reverse())
          .filter(
            (r) =>
              fromKey === undefined ||
              (forward ? key(r) < fromKey : key(r) > fromKey) ||
              (inclusive && key(r) === fromKey),
          )
          .slice(0, want);
      },
      nxlink: async (direction, from, want) => {
        this.readCalls++;
        const rows = [...this.nxlink].sort((a, b) => compareIds(b.id, a.id));
        const forward = direction === 'forward';
        const next = (forward ? rows : rows.reverse()).filter(
          (r) => from === undefined || (forward ? compareIds(r.id, from) < 0 : compareIds(r.id, from) > 0),
        );
        return { customers: next.slice(0, want), more: next.length > want };
      },
    };
  }

  labelOf(entry: MergeEntry): string {
    return entry.source === 'QUENTLI' ? (entry.record.name ?? '') : (entry.record.fullName ?? '');
  }

  walk(options: Partial<PeopleWalk<TestPerson>> = {}): PeopleWalk<TestPerson> {
    return {
      sources: this.sources,
      personsOf: async (entries) =>
        entries.map((entry) => {
          const label = this.labelOf(entry);
          const records: MergeEntry[] = [
            ...this.quentli.filter((r) => r.name === label).map((record) => ({ source: 'QUENTLI' as const, record })),
            ...this.nxlink.filter((r) => r.fullName === label).map((record) => ({ source: 'NXLINK' as const, record })),
          ];
          return { label, records };
        }),
      matches: () => true,
      keep: () => true,
      maxRounds: 3,
      ...options,
    };
  }

  async walkAll(
    direction: Direction,
    size: number,
    options: Partial<PeopleWalk<TestPerson>> = {},
    between?: () => void,
  ) {
    const labels: string[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < 200; page++) {
      const { page: result } = await pagePeople({ direction, size, cursor }, this.walk(options));
      const names = result.items.map((item) => item.node.label);
      if (direction === 'forward') labels.push(...names);
      else labels.unshift(...names);
      const more = direction === 'forward' ? result.hasNextPage : result.hasPreviousPage;
      if (!more) return labels;
      cursor =
        direction === 'forward'
          ? (result.endCursor ?? result.items.at(-1)?.cursor)
          : (result.startCursor ?? result.items[0]?.cursor);
      between?.();
    }
    throw new Error('the walk did not end');
  }
}

/** Alice: Quentli 50 (oldest) and NXLink 90; Bob: NXLink 80 and 70 (oldest); Carol: Quentli 60; Dan: NXLink 40 and Quentli 95. */
function world(): World {
  return new World(
    [q('qa', 50, 'alice'), q('qc', 60, 'carol'), q('qd', 95, 'dan')],
    [n('190', 90, 'alice'), n('180', 80, 'bob'), n('170', 70, 'bob'), n('140', 40, 'dan')],
  );
}
const NEWEST_FIRST = ['bob', 'carol', 'alice', 'dan'];

describe('pagePeople', () => {
  it.each([1, 2, 3, 10])(
    'lists each person once at its oldest record, newest first, forward and backward (pages of %i)',
    async (size) => {
      expect(await world().walkAll('forward', size)).toEqual(NEWEST_FIRST);
      expect(await world().walkAll('backward', size)).toEqual(NEWEST_FIRST);
    },
  );

  it('neither moves nor repeats a person when newer records of anyone are created during the walk', async () => {
    const w = world();
    let minute = 100;
    let id = 200;
    const labels = await w.walkAll('forward', 1, {}, () => {
      minute += 1;
      id += 1;
      w.nxlink.push(n(String(id), minute, NEWEST_FIRST[id % 4]!));
      w.quentli.push(q(`qz${id}`, minute, `new${id}`));
    });
    expect(labels).toEqual(NEWEST_FIRST);
  });

  it('ends a page short, with a cursor past the records it skipped, when the rounds run out', async () => {
    const w = new World(
      [q('qa', 10, 'alice')],
      Array.from({ length: 12 }, (_, index) => n(String(300 - index), 90 - index, index === 11 ? 'zed' : 'alice')),
    );
    const first = await pagePeople({ direction: 'forward', size: 1, cursor: undefined }, w.walk({ maxRounds: 1 }));
    expect(first.page.items).toEqual([]);
    expect(first.page.hasNextPage).toBe(true);
    expect(first.page.endCursor).toBeDefined();
    expect(await w.walkAll('forward', 1, { maxRounds: 1 })).toEqual(['zed', 'alice']);
  });

  it('answers a page of 0 with no items and no reading beyond one page of the walk', async () => {
    const w = world();
    const { page } = await pagePeople({ direction: 'forward', size: 0, cursor: undefined }, w.walk());
    expect(page.items).toEqual([]);
    expect(page.hasNextPage).toBe(true);
    expect(w.readCalls).toBeLessThanOrEqual(2);
  });

  it('lists a filtered person at its oldest matching record, and keeps only the people asked for', async () => {
    const recent = (entry: MergeEntry) => Date.parse(entry.record.createdAt) >= Date.parse(at(65));
    // Only the records at or after minute 65 are read (as an upstream filter would), and tested.
    const w = world();
    const filtered = new World(
      w.quentli.filter((r) => recent({ source: 'QUENTLI', record: r })),
      w.nxlink.filter((r) => recent({ source: 'NXLINK', record: r })),
    );
    const people = filtered.walk({ matches: recent });
    const full = world().walk();
    people.personsOf = full.personsOf;
    const labels: string[] = [];
    let cursor: string | undefined;
    for (;;) {
      const { page } = await pagePeople({ direction: 'forward', size: 1, cursor }, people);
      labels.push(...page.items.map((item) => item.node.label));
      if (!page.hasNextPage) break;
      cursor = page.endCursor ?? page.items.at(-1)?.cursor;
    }
    // dan at Quentli 95, alice at NXLink 90, bob at NXLink 70 (carol has no recent record).
    expect(labels).toEqual(['dan', 'alice', 'bob']);
    expect(await world().walkAll('forward', 2, { keep: (person) => person.records.length > 1 })).toEqual([
      'bob',
      'alice',
      'dan',
    ]);
  });

  it('refuses a cursor of another connection as bad input', async () => {
    await expect(
      pagePeople({ direction: 'forward', size: 1, cursor: 'WyJDdXN0b21lciIsMV0' }, world().walk()),
    ).rejects.toMatchObject({
      code: 'BAD_USER_INPUT',
    });
  });
});
