import { operationNameOf } from './operation-name.ts';
import type { Plugin, YogaInitialContext } from 'graphql-yoga';
import { requestIdOf, type GatewayContext } from '../context.ts';
import type { Logger } from './logger.ts';

interface RequestRecord {
  started: number;
  path: string;
  operation?: string;
  /** The errors of the answer, code and message (what the client was told), the first few. */
  errors?: { code: unknown; message: string }[];
}

const LOGGED_ERRORS = 5;

const QUIET_PATHS = new Set(['/health', '/readiness', '/metrics']);

/**
 * One JSON log line per request, with its id (echoed in `x-request-id`), the operation, the
 * status, the duration, the upstream calls it made per source and the errors of its answer.
 * Probes and scrapes log at debug level.
 */
export function useRequestLog(logger: Logger, contexts: WeakMap<Request, GatewayContext>): Plugin<GatewayContext & YogaInitialContext> {
  // The line is built below from fixed fields, none of which can hold a secret, so it skips the
  // logger's redaction pass, which would cost more than the rest of the line together.
  const lines = logger.child({}, { redact: [] });
  const records = new WeakMap<Request, RequestRecord>();
  return {
    onRequest: ({ request, url }) => void records.set(request, { started: performance.now(), path: url.pathname }),
    onExecute: ({ args }) => {
      const record = records.get(args.contextValue.request);
      if (record !== undefined) record.operation = operationNameOf(args) ?? 'anonymous';
    },
    onResultProcess: ({ request, result }) => {
      const record = records.get(request);
      if (record === undefined || Array.isArray(result) || Symbol.asyncIterator in result || result.errors === undefined) return;
      record.errors = result.errors.slice(0, LOGGED_ERRORS).map((error) => ({ code: error.extensions?.code, message: error.message }));
    },
    onResponse: ({ request, response }) => {
      const context = contexts.get(request);
      const record = records.get(request);
      const path = record?.path ?? new URL(request.url).pathname;
      const line = {
        requestId: context?.requestId ?? requestIdOf(request),
        method: request.method,
        path,
        operation: record?.operation,
        status: response.status,
        durationMs: record === undefined ? undefined : Math.round((performance.now() - record.started) * 10) / 10,
        upstreams: context?.upstreamTimings,
        errors: record?.errors,
      };
      // Error level is for the gateway's own faults: a client's mistake (a bad document, bad
      // input, a missing key) or an upstream's outage is logged as any other request.
      if (QUIET_PATHS.has(path)) lines.debug(line, 'request');
      else if (record?.errors?.some((error) => error.code === 'INTERNAL_SERVER_ERROR') || response.status >= 500) {
        lines.error(line, 'request');
      } else lines.info(line, 'request');
    },
  };
}
