import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { decodeCursor, encodeCursor } from '../../src/paging/cursor.ts';
import { decodeNxlinkCursor, encodeNxlinkCursor } from '../../src/paging/nxlink-window.ts';

describe('cursor codec', () => {
  it('round-trips a payload through an opaque url-safe string', () => {
    const cursor = encodeCursor('Kind', { at: ['2025-01-01T00:00:00.000Z', 'c1'] });
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor('Kind', cursor, z.object({ at: z.array(z.string()) }), 'after')).toEqual({
      at: ['2025-01-01T00:00:00.000Z', 'c1'],
    });
  });

  it('keeps a 64-bit NXLink id digit for digit', () => {
    const id = '1021110718827683841';
    expect(decodeNxlinkCursor(encodeNxlinkCursor(id), 'after')).toBe(id);
  });

  it.each([
    ['garbage', 'not base64 json'],
    ['another kind', encodeCursor('Other', '1')],
    ['a wrong payload', encodeCursor('NxlinkCustomer', 'abc')],
    ['an empty string', ''],
  ])('refuses %s, naming the argument', (_case, cursor) => {
    expect(() => decodeNxlinkCursor(cursor, 'before')).toThrow(/`before` is not a cursor of this connection/);
  });
});
