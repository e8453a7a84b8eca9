import qs from 'qs';
import { describe, expect, it } from 'vitest';
import { encodeFilter, encodeListQuery } from '../../src/upstream/quentli/filter.ts';

/** The query as a qs-parsing server sees it, with `filter` and a one-object `orderBy` decoded once more. */
function asServerSees(query: string): Record<string, unknown> {
  const top = qs.parse(query);
  return {
    ...top,
    ...(typeof top.filter === 'string' ? { filter: qs.parse(top.filter) } : {}),
    ...(typeof top.orderBy === 'string' ? { orderBy: qs.parse(top.orderBy) } : {}),
  };
}

describe('encoding a customerFilter', () => {
  it("writes the seed's example exactly", () => {
    expect(encodeFilter({ name: { contains: 'john' }, OR: [{ noPayments: true }] })).toBe(
      'name[contains]=john&OR[0][noPayments]=true',
    );
  });

  it('writes an id look-up as upstreams.md shows it', () => {
    expect(encodeFilter({ id: { in: ['a', 'b'] } })).toBe('id[in][0]=a&id[in][1]=b');
  });

  it('writes a null as a bare key, which qs reads back as null, not as an empty string', () => {
    const text = encodeFilter({ archivedAt: null, name: { not: null } });
    expect(text).toBe('archivedAt&name[not]');
    expect(qs.parse(text, { strictNullHandling: true })).toEqual({ archivedAt: null, name: { not: null } });
  });

  it('percent-encodes values so that & = and brackets inside them keep their meaning', () => {
    expect(encodeFilter({ name: { contains: 'a&b=[c]' } })).toBe('name[contains]=a%26b%3D%5Bc%5D');
  });
});

describe('encoding the list query', () => {
  it('carries the filter as one percent-encoded parameter value', () => {
    const query = encodeListQuery({ filter: { id: { in: ['a', 'b'] } }, limit: 20 });
    expect(query).toBe('filter=id%5Bin%5D%5B0%5D%3Da%26id%5Bin%5D%5B1%5D%3Db&limit=20');
    expect(new URLSearchParams(query).get('filter')).toBe('id[in][0]=a&id[in][1]=b');
  });

  it('writes one order object as the value of orderBy, like the seed (createdAt=desc)', () => {
    const query = encodeListQuery({ orderBy: [{ createdAt: 'desc' }], limit: 5 });
    expect(query).toBe('orderBy=createdAt%3Ddesc&limit=5');
    expect(new URLSearchParams(query).get('orderBy')).toBe('createdAt=desc');
  });

  it('writes several order objects exactly as upstreams.md documents them', () => {
    const query = encodeListQuery({ orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], limit: 5 });
    expect(query).toBe('orderBy[0][createdAt]=desc&orderBy[1][id]=desc&limit=5');
  });

  it('splits an order object with several keys into one object per key, in order', () => {
    expect(encodeListQuery({ orderBy: [{ name: 'asc', id: 'desc' }], limit: 5 })).toBe(
      'orderBy[0][name]=asc&orderBy[1][id]=desc&limit=5',
    );
  });

  it('puts filter, orderBy, offset and limit in that order and omits what is empty', () => {
    expect(
      encodeListQuery({ filter: { name: 'Ana' }, orderBy: [{ id: 'asc' }], offset: 40, limit: 21 }),
    ).toBe('filter=name%3DAna&orderBy=id%3Dasc&offset=40&limit=21');
    expect(encodeListQuery({ filter: {}, orderBy: [], offset: 0, limit: 20 })).toBe('limit=20');
  });

  it('decodes on a qs-parsing server to the objects that were encoded', () => {
    const filter = {
      email: { endsWith: '@example.com', mode: 'insensitive' as const },
      AND: [{ createdAt: { gte: '2024-01-01T00:00:00.000Z' } }, { NOT: [{ archived: true }] }],
    };
    const orderBy = [{ createdAt: 'desc' as const }, { id: 'desc' as const }];
    expect(asServerSees(encodeListQuery({ filter, orderBy, offset: 3, limit: 4 }))).toEqual({
      filter: {
        email: { endsWith: '@example.com', mode: 'insensitive' },
        AND: [{ createdAt: { gte: '2024-01-01T00:00:00.000Z' } }, { NOT: [{ archived: 'true' }] }],
      },
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      offset: '3',
      limit: '4',
    });
  });
});
