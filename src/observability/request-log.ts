import { getOperationAST } from 'graphql';
import type { Plugin, YogaInitialContext } from 'graphql-yoga';
import type { GatewayContext } from '../context.ts';
import type { Logger } from './logger.ts';

interface RequestRecord {
  started: number;
  path: string;
  operation?: string;
}

const QUIET_PATHS = new Set(['/health', '/readiness', '/metrics']);

/**
 * One JSON log line per request, with its id (echoed in `x-request-id`), the operation, the
 * status, the duration and the upstream calls it made per source. Probes and scrapes log at
 * debug level.
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
      if (record !== undefined) record.operation = getOperationAST(args.document, args.operationName)?.name?.value ?? 'anonymous';
    },
    onResponse: ({ request, response }) => {
      const context = contexts.get(request);
      const record = records.get(request);
      const path = record?.path ?? new URL(request.url).pathname;
      const line = {
        requestId: context?.requestId,
        method: request.method,
        path,
        operation: record?.operation,
        status: response.status,
        durationMs: record === undefined ? undefined : Math.round((performance.now() - record.started) * 10) / 10,
        upstreams: context?.upstreamTimings,
      };
      if (QUIET_PATHS.has(path)) lines.debug(line, 'request');
      else lines.info(line, 'request');
    },
  };
}
