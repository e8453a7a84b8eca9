import { describe, expect, it } from 'vitest';
import { keysetFilter, sortKeys, withFilter } from '../../src/paging/quentli-window.ts';

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
