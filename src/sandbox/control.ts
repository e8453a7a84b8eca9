import { FaultError, type FaultState } from './faults.ts';
import { jsonReply, type RecordedRequest, type Reply } from './http.ts';

export const CONTROL_PREFIX = '/__sandbox/';

export interface ControlTarget {
  faults: FaultState;
  requests: readonly RecordedRequest[];
  resetRequests(): void;
}

/**
 * The fault switch and request log over HTTP, for manual use and benchmarks against
 * `npm run sandbox`. These routes need no auth, are not logged and ignore faults.
 */
export function controlReply(request: RecordedRequest, target: ControlTarget): Reply {
  const route = `${request.method} ${request.path}`;
  switch (route) {
    case `PUT ${CONTROL_PREFIX}faults`:
      return setFault(request.body, target.faults);
    case `GET ${CONTROL_PREFIX}faults`:
      return jsonReply(200, { fault: target.faults.current() ?? null });
    case `GET ${CONTROL_PREFIX}requests`:
      return jsonReply(200, requestCounts(target.requests));
    case `DELETE ${CONTROL_PREFIX}requests`:
      target.resetRequests();
      return { status: 204, body: '' };
    default:
      return jsonReply(404, {
        error: `No control route ${route}; expected PUT or GET ${CONTROL_PREFIX}faults, GET or DELETE ${CONTROL_PREFIX}requests`,
      });
  }
}

function setFault(body: string, faults: FaultState): Reply {
  try {
    faults.arm(JSON.parse(body === '' ? '{}' : body));
  } catch (error) {
    const message = error instanceof FaultError ? error.message : 'The body must be a JSON fault object ({} clears)';
    return jsonReply(400, { error: message });
  }
  return jsonReply(200, { fault: faults.current() ?? null });
}

function requestCounts(requests: readonly RecordedRequest[]): { total: number; counts: Record<string, number> } {
  const counts: Record<string, number> = {};
  for (const { method, path } of requests) {
    const key = `${method} ${path}`;
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return { total: requests.length, counts };
}
