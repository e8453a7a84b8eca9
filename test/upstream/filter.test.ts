import qs from 'qs';
import { describe, expect, it } from 'vitest';
import { DOCUMENTED_ENCODING } from '../../src/upstream/quentli/client.ts';
import { encodeFilter, encodeListQuery, type QuentliEncoding } from '../../src/upstream/quentli/filter.ts';
import { UpstreamError } from '../../src/upstream/errors.ts';

const VERIFIED_TIE_BREAK: QuentliEncoding = { ...DOCUMENTED_ENCODING, tieBreakSortKey: true };

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
    expect(encodeFilter({ name: { contains: 'john' }, OR: [{ noPayments: true }] }, DOCUMENTED_ENCODING)).toBe(
      'name[contains]=john&OR[0][noPayments]=true',
    );
  });

  it('writes an id look-up as upstreams.md shows it', () => {
    expect(encodeFilter({ id: { in: ['a', 'b'] } }, DOCUMENTED_ENCODING)).toBe('id[in][0]=a&id[in][1]=b');
  });

  it('writes a null as a bare key, which qs reads back as null, not as an empty string', () => {
    const text = encodeFilter({ archivedAt: null, name: { not: null } }, DOCUMENTED_ENCODING);
    expect(text).toBe('archivedAt&name[not]');
    expect(qs.parse(text, { strictNullHandling: true })).toEqual({ archivedAt: null, name: { not: null } });
  });

  it('percent-encodes values so that & = and brackets inside them keep their meaning', () => {
    expect(encodeFilter({ name: { contains: 'a&b=[c]' } }, DOCUMENTED_ENCODING)).toBe('name[contains]=a%26b%3D%5Bc%5D');
  });
});

describe('encoding the list query', () => {
  it('carries the filter as one percent-encoded parameter value', () => {
    const query = encodeListQuery({ filter: { id: { in: ['a', 'b'] } }, limit: 20 }, DOCUMENTED_ENCODING);
    expect(query).toBe('filter=id%5Bin%5D%5B0%5D%3Da%26id%5Bin%5D%5B1%5D%3Db&limit=20');
    expect(new URLSearchParams(query).get('filter')).toBe('id[in][0]=a&id[in][1]=b');
  });

  it('writes one order object as the value of orderBy, like the seed (createdAt=desc)', () => {
    const query = encodeListQuery({ orderBy: [{ createdAt: 'desc' }], limit: 5 }, DOCUMENTED_ENCODING);
    expect(query).toBe('orderBy=createdAt%3Ddesc&limit=5');
    expect(new URLSearchParams(query).get('orderBy')).toBe('createdAt=desc');
  });

  it('refuses to send a second sort key unless an operator verified that Quentli takes one', () => {
    expect(() =>
      encodeListQuery({ orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], limit: 5 }, DOCUMENTED_ENCODING),
    ).toThrow(/configured for one \(QUENTLI_TIE_BREAK_SORT\)/);
  });

  it('with QUENTLI_TIE_BREAK_SORT, writes several order objects as bracketed keys, one per key, in order', () => {
    const query = encodeListQuery({ orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], limit: 5 }, VERIFIED_TIE_BREAK);
    expect(query).toBe('orderBy[0][createdAt]=desc&orderBy[1][id]=desc&limit=5');
    expect(encodeListQuery({ orderBy: [{ name: 'asc', id: 'desc' }], limit: 5 }, VERIFIED_TIE_BREAK)).toBe(
      'orderBy[0][name]=asc&orderBy[1][id]=desc&limit=5',
    );
  });

  it('puts filter, orderBy, offset and limit in that order and omits what is empty', () => {
    expect(
      encodeListQuery(
        { filter: { name: 'Ana' }, orderBy: [{ id: 'asc' }], offset: 40, limit: 21 },
        DOCUMENTED_ENCODING,
      ),
    ).toBe('filter=name%3DAna&orderBy=id%3Dasc&offset=40&limit=21');
    expect(encodeListQuery({ filter: {}, orderBy: [], offset: 0, limit: 20 }, DOCUMENTED_ENCODING)).toBe('limit=20');
  });

  it('decodes on a qs-parsing server to the objects that were encoded', () => {
    const filter = {
      email: { endsWith: '@example.com', mode: 'insensitive' as const },
      AND: [{ createdAt: { gte: '2024-01-01T00:00:00.000Z' } }, { NOT: [{ archived: true }] }],
    };
    const orderBy = [{ createdAt: 'desc' as const }];
    expect(asServerSees(encodeListQuery({ filter, orderBy, offset: 3, limit: 4 }, DOCUMENTED_ENCODING))).toEqual({
      filter: {
        email: { endsWith: '@example.com', mode: 'insensitive' },
        AND: [{ createdAt: { gte: '2024-01-01T00:00:00.000Z' } }, { NOT: [{ archived: 'true' }] }],
      },
      orderBy: { createdAt: 'desc' },
      offset: '3',
      limit: '4',
    });
  });
});

describe('lists inside filter', () => {
  const ids = (count: number) => Array.from({ length: count }, (_, index) => `c${index}`);

  it('sends a list of 20 items, which a server with qs defaults still reads as a list', () => {
    const text = encodeFilter({ id: { in: ids(20) } }, DOCUMENTED_ENCODING);
    expect(Array.isArray((qs.parse(text) as { id: { in: unknown } }).id.in)).toBe(true);
  });

  it('refuses a list of 21, which qs defaults read as an object with index keys', () => {
    const text = qs.stringify({ id: { in: ids(21) } }, { encodeValuesOnly: true });
    expect(Array.isArray((qs.parse(text) as { id: { in: unknown } }).id.in)).toBe(false);
    expect(() => encodeFilter({ OR: [{ id: { in: ids(21) } }] }, DOCUMENTED_ENCODING)).toThrow(UpstreamError);
  });

  it('sends longer lists where an operator raised QUENTLI_MAX_LIST_ITEMS', () => {
    expect(encodeFilter({ id: { in: ids(50) } }, { ...DOCUMENTED_ENCODING, maxListItems: 100 })).toContain(
      'id[in][49]=c49',
    );
  });
});
