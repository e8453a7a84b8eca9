import type { z } from 'zod';
import { BadInputError } from '../errors.ts';

/**
 * Cursors are opaque to clients: base64url of `[kind, payload]` JSON. The kind ties a cursor to
 * the connection that made it, so a cursor of one connection is refused by another instead of
 * being misread.
 */
export function encodeCursor(kind: string, payload: unknown): string {
  return Buffer.from(JSON.stringify([kind, payload]), 'utf8').toString('base64url');
}

export function decodeCursor<T>(kind: string, cursor: string, payload: z.ZodType<T>, argument: string): T {
  const invalid = () =>
    new BadInputError(
      `\`${argument}\` is not a cursor of this connection: pass a cursor this connection returned, unchanged.`,
      [argument],
    );
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalid();
  }
  if (!Array.isArray(decoded) || decoded.length !== 2 || decoded[0] !== kind) throw invalid();
  const parsed = payload.safeParse(decoded[1]);
  if (!parsed.success) throw invalid();
  return parsed.data;
}
