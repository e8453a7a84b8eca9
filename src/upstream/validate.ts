import type { z } from 'zod';
import { SOURCE_LABEL, UpstreamError, type UpstreamErrorDetail, type UpstreamSource } from './errors.ts';

const MAX_DETAILS = 10;

/**
 * Validates an upstream answer against `schema`. A mismatch is UPSTREAM_BAD_RESPONSE naming the
 * field paths and what was expected there; the offending values stay out of the message, as
 * they may be personal data.
 */
export function validateAnswer<T>(source: UpstreamSource, what: string, schema: z.ZodType<T>, value: unknown): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const details: UpstreamErrorDetail[] = result.error.issues.slice(0, MAX_DETAILS).map((issue) => ({
    path: issue.path.map(String),
    message: issue.message,
  }));
  const [first] = result.error.issues;
  const more = result.error.issues.length - 1;
  throw new UpstreamError(
    source,
    'UPSTREAM_BAD_RESPONSE',
    `${SOURCE_LABEL[source]} answered with an invalid ${what}: at ${formatPath(first?.path ?? [])}: ${first?.message ?? 'unexpected shape'}${more > 0 ? ` (and ${more} more problem${more === 1 ? '' : 's'})` : ''}`,
    { details, cause: result.error },
  );
}

/** `[3].created_at`, `data.paging.after`, or `(root)`. */
export function formatPath(path: readonly PropertyKey[]): string {
  if (path.length === 0) return '(root)';
  return path
    .map((segment, index) =>
      typeof segment === 'number' ? `[${segment}]` : `${index === 0 ? '' : '.'}${String(segment)}`,
    )
    .join('');
}
