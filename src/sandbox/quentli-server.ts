import { bearerToken, secretEquals } from './bearer.ts';
import type { FaultReplies } from './faults.ts';
import type { RecordedRequest, Reply } from './http.ts';
import { QuentliError, quentliErrorReply } from './quentli-errors.ts';
import { parseJsonBody, readCreate, readUpdate } from './quentli-input.ts';
import { parseListQuery } from './quentli-query.ts';
import { QuentliConflictError, type QuentliStore } from './quentli-store.ts';
import { presentQuentli, type Quirks } from './quirks.ts';
import type { UpstreamBehaviour } from './upstream-server.ts';

const COLLECTION = '/v1/customers';

const FAULT_MESSAGES: Readonly<Record<number, string>> = {
  429: 'Too many requests, slow down',
  500: 'Internal server error',
  502: 'Bad gateway',
  503: 'Service temporarily unavailable',
  504: 'Gateway timeout',
};

const quentliFaultReplies: FaultReplies = {
  status: (status, retryAfterSeconds, message) =>
    quentliErrorReply(
      status,
      message ?? FAULT_MESSAGES[status] ?? `Request failed with status ${status}`,
      [],
      retryAfterSeconds === undefined ? {} : { 'retry-after': String(retryAfterSeconds) },
    ),
  malformed: () => ({ status: 200, body: '[{"id": "cm8x2k1q0000' }),
};

/** Quentli's customer API: GET, POST /v1/customers and PATCH /v1/customers/{id}. */
export function quentliBehaviour(store: QuentliStore, apiKey: string, quirks: Quirks): UpstreamBehaviour {
  return {
    replies: quentliFaultReplies,
    handle(request) {
      try {
        return route(request, store, apiKey, quirks);
      } catch (error) {
        if (error instanceof QuentliError) return quentliErrorReply(error.status, error.message, error.details);
        throw error;
      }
    },
  };
}

function route(request: RecordedRequest, store: QuentliStore, apiKey: string, quirks: Quirks): Reply {
  const token = bearerToken(request.headers.authorization);
  if (token === undefined || !secretEquals(token, apiKey)) {
    throw new QuentliError(401, 'Missing or invalid API key: send Authorization: Bearer sk_...');
  }
  const { method, path } = request;
  if (path === COLLECTION) {
    if (method === 'GET') {
      const customers = store.list(parseListQuery(request.query, quirks));
      return { status: 200, body: JSON.stringify(customers.map((customer) => presentQuentli(customer, quirks))) };
    }
    if (method === 'POST') return create(request, store, quirks);
    return methodNotAllowed(method, path, 'GET, POST');
  }
  const id = itemId(path);
  if (id === undefined) throw new QuentliError(404, `No route for ${method} ${path}`);
  if (method === 'PATCH') return update(id, request, store, quirks);
  return methodNotAllowed(method, path, 'PATCH');
}

function create(request: RecordedRequest, store: QuentliStore, quirks: Quirks): Reply {
  const fields = readCreate(parseJsonBody(request.body));
  const customer = writing(() => store.create(fields), ['input']);
  return { status: 201, body: JSON.stringify({ customer: presentQuentli(customer, quirks) }) };
}

function update(id: string, request: RecordedRequest, store: QuentliStore, quirks: Quirks): Reply {
  const body = parseJsonBody(request.body);
  if (store.get(id) === undefined) throw new QuentliError(404, `Customer ${id} not found`);
  const changes = readUpdate(body);
  const customer = writing(() => store.update(id, changes), ['input', 'data']);
  if (customer === undefined) throw new QuentliError(404, `Customer ${id} not found`);
  return { status: 200, body: JSON.stringify({ customer: presentQuentli(customer, quirks) }) };
}

/** A taken email or username is a 409 whose detail points at the field. */
function writing<T>(write: () => T, path: string[]): T {
  try {
    return write();
  } catch (error) {
    if (!(error instanceof QuentliConflictError)) throw error;
    throw new QuentliError(409, error.message, [{ path: [...path, error.field], message: error.message }]);
  }
}

function itemId(path: string): string | undefined {
  const match = /^\/v1\/customers\/([^/]+)$/.exec(path);
  if (match?.[1] === undefined) return undefined;
  try {
    return decodeURIComponent(match[1]);
  } catch {
    return undefined;
  }
}

function methodNotAllowed(method: string, path: string, allowed: string): Reply {
  const reply = quentliErrorReply(405, `${method} is not allowed on ${path}; use ${allowed}`);
  return { ...reply, headers: { allow: allowed } };
}
