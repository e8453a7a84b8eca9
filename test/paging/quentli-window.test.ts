import { describe, expect, it } from 'vitest';
import { keysetFilter, pageQuentli, sortKeys, withFilter } from '../../src/paging/quentli-window.ts';
import type {
  QuentliCustomerFilter,
  QuentliCustomerRecord,
  QuentliListParams,
} from '../../src/upstream/quentli/records.ts';

describe('Quentli sort keys', () => {
  it("default to Quentli's documented order, createdAt then id, newest first", () => {
    expect(sortKeys(undefined)).toEqual([
      { field: 'createdAt', direction: 'desc' },
      { field: 'id', direction: 'desc' },
    ]);
  });

  it('end with id so that ties never reorder between pages', () => {
    expect(sortKeys([{ name: 'asc' }])).toEqual([
      { field: 'name', direction: 'asc' },
      { field: 'id', direction: 'desc' },
    ]);
    expect(sortKeys([{ id: 'asc' }, { createdAt: 'desc' }])).toEqual([
      { field: 'id', direction: 'asc' },
      { field: 'createdAt', direction: 'desc' },
    ]);
  });

  it('refuse an entry with no field or two fields, and a field given twice', () => {
    expect(() => sortKeys([{}])).toThrow(/orderBy\[0\] must set exactly one field/);
    expect(() => sortKeys([{ name: 'asc', id: 'asc' }])).toThrow(/exactly one field/);
    expect(() => sortKeys([{ id: 'asc' }, { id: 'desc' }])).toThrow(/orderBy\[1\] orders by id a second time/);
  });
});

describe('Quentli keyset filter', () => {
  it('selects the rows strictly after a position, key by key', () => {
    const keys = sortKeys(undefined);
    expect(keysetFilter(keys, ['2025-01-01T00:00:00.000Z', 'cabc'])).toEqual({
      OR: [
        { createdAt: { lt: '2025-01-01T00:00:00.000Z' } },
        { createdAt: '2025-01-01T00:00:00.000Z', id: { lt: 'cabc' } },
      ],
    });
  });

  it('compares upwards for ascending keys', () => {
    expect(keysetFilter([{ field: 'id', direction: 'asc' }], ['cabc'])).toEqual({ id: { gt: 'cabc' } });
  });

  it("is AND-ed with the client's own filter", () => {
    expect(withFilter({ name: { contains: 'a' } }, { id: { lt: 'c' } })).toEqual({
      AND: [{ name: { contains: 'a' } }, { id: { lt: 'c' } }],
    });
    expect(withFilter(undefined, { id: { lt: 'c' } })).toEqual({ id: { lt: 'c' } });
    expect(withFilter({}, undefined)).toEqual({});
  });
});

describe('reading by keyset with one sort key sent (the documented orderBy)', () => {
  // 30 customers share one instant, more than a page; Quentli returns ties in an order of its own.
  const rows = [
    ...Array.from({ length: 10 }, (_, i) => row(`c1${i}`, `2025-01-03T00:00:0${i}.000Z`)),
    ...Array.from({ length: 30 }, (_, i) => row(`c2${String(i).padStart(2, '0')}`, '2025-01-02T00:00:00.000Z')),
    ...Array.from({ length: 10 }, (_, i) => row(`c3${i}`, `2025-01-01T00:00:0${i}.000Z`)),
  ];
  const calls: QuentliListParams[] = [];
  const fetch = async (params: QuentliListParams) => {
    calls.push(params);
    const orderBy = params.orderBy ?? [];
    if (orderBy.length !== 1) throw new Error('one sort key only');
    const [[field, direction]] = Object.entries(orderBy[0]!) as [[keyof QuentliCustomerRecord, string]];
    const scramble = (id: string) => [...id].reduce((hash, c) => (hash * 31 + c.charCodeAt(0)) % 1009, 7);
    return rows
      .filter((candidate) => matches(candidate, params.filter))
      .sort((a, b) => {
        const order = String(a[field]) < String(b[field]) ? -1 : String(a[field]) > String(b[field]) ? 1 : 0;
        return (direction === 'asc' ? order : -order) || scramble(a.id) - scramble(b.id);
      })
      .slice(params.offset ?? 0, (params.offset ?? 0) + params.limit);
  };
  const expected = [...rows].sort((a, b) =>
    a.createdAt === b.createdAt ? (a.id < b.id ? 1 : -1) : a.createdAt < b.createdAt ? 1 : -1,
  );

  it('pages forward and backward through a tie longer than a page, every row once, ties by id', async () => {
    for (const size of [1, 7, 29, 30, 31]) {
      const forward = await walk('forward', size);
      expect(
        forward.map((record) => record.id),
        `forward by ${size}`,
      ).toEqual(expected.map((record) => record.id));
      const backward = await walk('backward', size);
      expect(
        backward.map((record) => record.id),
        `backward by ${size}`,
      ).toEqual(expected.map((record) => record.id));
    }
    expect(calls.every((call) => call.orderBy?.length === 1)).toBe(true);
  });

  async function walk(direction: 'forward' | 'backward', size: number): Promise<QuentliCustomerRecord[]> {
    const seen: QuentliCustomerRecord[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < 200; page++) {
      const result = await pageQuentli({ request: { direction, size, cursor }, fetch });
      const nodes = result.items.map((item) => item.node);
      if (direction === 'forward') seen.push(...nodes);
      else seen.unshift(...nodes);
      if (!(direction === 'forward' ? result.hasNextPage : result.hasPreviousPage)) return seen;
      cursor = (direction === 'forward' ? result.items.at(-1) : result.items[0])?.cursor;
    }
    throw new Error('the walk did not end');
  }
});

function row(id: string, createdAt: string): QuentliCustomerRecord {
  return { id, createdAt, updatedAt: createdAt } as QuentliCustomerRecord;
}

/** The filters readKeyset sends: AND, OR, equality, lt and gt on createdAt and id. */
function matches(record: QuentliCustomerRecord, filter: QuentliCustomerFilter | undefined): boolean {
  if (filter === undefined) return true;
  return Object.entries(filter).every(([key, condition]) => {
    if (key === 'AND') return (condition as QuentliCustomerFilter[]).every((part) => matches(record, part));
    if (key === 'OR') return (condition as QuentliCustomerFilter[]).some((part) => matches(record, part));
    const value = String(record[key as keyof QuentliCustomerRecord]);
    if (typeof condition === 'string') return value === condition;
    const { lt, gt } = condition as { lt?: string; gt?: string };
    return (lt === undefined || value < lt) && (gt === undefined || value > gt);
  });
}
