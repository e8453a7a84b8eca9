import { pageCustomers } from '../paging/merge.ts';
import { toPageRequest } from '../paging/page-request.ts';
import { e164 } from '../phone.ts';
import { UpstreamError } from '../upstream/errors.ts';
import { builder } from './builder.ts';
import { connectionComplexity, connectionFields, reportUnavailable, toConnection } from './connection.ts';
import { CustomerRef, CustomerSourceEnum } from './customer.ts';
import { customerSources } from './customer-sources.ts';

const CustomerFilterRef = builder.inputType('CustomerFilter', {
  description:
    'Conditions on customers of both sources (AND-ed). Each is applied by the upstream where it can filter, else by the gateway.',
  fields: (t) => ({
    search: t.string({
      description:
        'The name contains this text (case-insensitive). NXLink cannot match names, so its pages are scanned by the gateway: pages may come back short or empty with `hasNextPage: true` (see `customers`).',
    }),
    email: t.field({ type: 'EmailAddress', description: 'The email address is this one (case-insensitive).' }),
    phoneNumber: t.field({
      type: 'PhoneNumber',
      description: 'The primary phone is this one (E.164).',
      validate: e164,
    }),
    createdAfter: t.field({ type: 'DateTime', description: 'Created strictly after this instant.' }),
    createdBefore: t.field({ type: 'DateTime', description: 'Created strictly before this instant.' }),
  }),
});

builder.queryField('customers', (t) =>
  t.connection(
    {
      type: CustomerRef,
      nullable: false,
      complexity: connectionComplexity,
      description:
        'Customers of both sources in one list, newest first (createdAt descending; ties: Quentli before NXLink, then sourceId descending). Each cursor holds the position in both sources, so a walk from start to end sees every customer once, also while customers are created. A condition NXLink cannot apply (`search`) is applied by the gateway to the NXLink pages it reads, at most a configured number of them per request (GATEWAY_SCAN_PAGES, default 3): when the scan stops before the page is full, the page holds what was found so far (possibly fewer than `first`, possibly none) with `hasNextPage: true` and an `endCursor` where the scan stopped (`hasPreviousPage` and `startCursor` when paging backward). Keep paging to continue the scan.',
      args: {
        filter: t.arg({ type: CustomerFilterRef, description: 'Conditions on the customers.' }),
        sources: t.arg({
          type: [CustomerSourceEnum],
          description: 'Only customers of these sources (default: both).',
        }),
      },
      resolve: async (_root, args, context) => {
        const request = toPageRequest(args);
        const include = new Set<'QUENTLI' | 'NXLINK'>(args.sources ?? ['QUENTLI', 'NXLINK']);
        const sources = customerSources(context, args.filter, include);

        const { page, failures } = await pageCustomers(request, sources);
        const unavailable = failures.map(({ error }) => {
          if (!(error instanceof UpstreamError)) throw error;
          return reportUnavailable(context, error);
        });
        return toConnection(
          { ...page, items: page.items.map(({ node, cursor }) => ({ node: node.record, cursor })) },
          unavailable,
        );
      },
    },
    {
      name: 'CustomerConnection',
      ...connectionFields,
      description:
        "A page of customers of both sources. When one source fails, the page holds the other's customers and `unavailableSources` names the failed one.",
    },
    { name: 'CustomerEdge', description: 'A customer and its cursor.' },
  ),
);
