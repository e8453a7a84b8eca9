import qs from 'qs';
import type { RecordedRequest } from '../../src/sandbox/index.ts';

/** What Quentli received as `filter` (and `orderBy`), decoded as Quentli decodes it. */
export function quentliParams(request: RecordedRequest | undefined): {
  filter: Record<string, unknown>;
  orderBy: unknown;
  limit: string | null;
  offset: string | null;
} {
  const params = new URLSearchParams(request?.query ?? '');
  return {
    filter: qs.parse(params.get('filter') ?? '', { depth: 10, arrayLimit: 1000 }),
    orderBy: qs.parse(params.get('orderBy') ?? '', { depth: 10 }),
    limit: params.get('limit'),
    offset: params.get('offset'),
  };
}
