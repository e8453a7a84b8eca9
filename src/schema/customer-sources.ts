import type { GatewayContext } from '../context.ts';
import { toNxlinkCustomerScans, toQuentliCustomerFilter, type CustomerFilter } from '../filters/customer-filter.ts';
import type { MergeSources } from '../paging/merge.ts';
import { scanNxlinkUnion } from '../paging/nxlink-window.ts';
import { DEFAULT_SORT, readKeyset, reversed } from '../paging/quentli-window.ts';

/**
 * The two sources of the merged customers walk (`customers`, and `people` on top of it), read
 * through this request's loaders, with `filter` pushed down where each upstream can apply it.
 */
export function customerSources(
  context: GatewayContext,
  filter: CustomerFilter | null | undefined,
  include: ReadonlySet<'QUENTLI' | 'NXLINK'>,
): MergeSources {
  const quentliFilter = toQuentliCustomerFilter(filter);
  const nxlink = toNxlinkCustomerScans(filter);
  const sources: MergeSources = {};
  if (include.has('QUENTLI')) {
    sources.quentli = (direction, from, inclusive, want) =>
      readKeyset(
        (params) => context.loaders.quentli.list.load(params),
        quentliFilter,
        direction === 'forward' ? DEFAULT_SORT : reversed(DEFAULT_SORT),
        from,
        want,
        inclusive,
        context.upstreams.quentli.encoding.tieBreakSortKey,
      );
  }
  if (include.has('NXLINK')) {
    sources.nxlink = (direction, from, want) =>
      scanNxlinkUnion(
        (query) => context.loaders.nxlink.query.load(query),
        nxlink.filters.map((filter) => ({
          filter,
          direction,
          from,
          want,
          accept: nxlink.accept,
          budget: context.scanBudget,
        })),
      );
  }
  return sources;
}
