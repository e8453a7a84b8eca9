import { authenticate, type NxlinkCredentials } from './nxlink-auth.ts';
import { parseNxlinkQuery, type NxlinkTenant } from './nxlink-query.ts';
import { NxlinkError, nxlinkFaultReplies, nxlinkReply } from './nxlink-reply.ts';
import type { NxlinkCustomer } from './nxlink-record.ts';
import type { NxlinkStore } from './nxlink-store.ts';
import type { RecordedRequest, Reply } from './http.ts';
import { presentNxlink, type Quirks } from './quirks.ts';
import type { UpstreamBehaviour } from './upstream-server.ts';

export const NXLINK_QUERY_PATH = '/saas/cdp/openapi/customers/query';

/** NXLink's customer query: one signed POST endpoint; every refusal is HTTP 200 with a code. */
export function nxlinkBehaviour(
  store: NxlinkStore,
  credentials: NxlinkCredentials & Pick<NxlinkTenant, 'appKey'>,
  quirks: Quirks,
  timeZone: string,
): UpstreamBehaviour {
  const tenant: NxlinkTenant = { tenantId: store.tenantId, appKey: credentials.appKey };
  const present = (customer: NxlinkCustomer) => presentNxlink(customer, quirks, timeZone);
  return {
    replies: nxlinkFaultReplies,
    handle(request) {
      try {
        return query(request, store, credentials, tenant, present);
      } catch (error) {
        if (error instanceof NxlinkError) return nxlinkReply(error.code, error.message, null);
        throw error;
      }
    },
  };
}

function query(
  request: RecordedRequest,
  store: NxlinkStore,
  credentials: NxlinkCredentials,
  tenant: NxlinkTenant,
  present: (customer: NxlinkCustomer) => unknown,
): Reply {
  if (request.path !== NXLINK_QUERY_PATH) {
    return { ...nxlinkReply(404, `No route for ${request.method} ${request.path}`, null), status: 404 };
  }
  if (request.method !== 'POST') {
    const reply = nxlinkReply(405, `${request.method} is not supported; use POST`, null);
    return { ...reply, status: 405, headers: { allow: 'POST' } };
  }
  authenticate(request, credentials, Date.now());
  const type = request.headers['content-type'] ?? '';
  if (!/^application\/json\b/i.test(type)) throw new NxlinkError(400, 'Content-Type must be application/json');
  const { where, cursor, phone } = parseNxlinkQuery(request.body, tenant);
  const { customers, paging } = store.query(where, cursor, phone);
  return nxlinkReply(0, null, { paging, customer_list: customers.map(present) });
}
