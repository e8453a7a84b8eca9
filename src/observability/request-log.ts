import { getOperationAST } from 'graphql';
import type { Plugin, YogaInitialContext } from 'graphql-yoga';
import type { GatewayContext } from '../context.ts';
import type { Logger } from './logger.ts';

/**
 * One JSON log line per request, with its id (echoed in `x-request-id`), the operation, the
 * status, the duration and the upstream calls it made per source. Probes and scrapes log at
 * debug level.
 */
export function useRequestLog(logger: Logger, contexts: WeakMap<Request, GatewayContext>): Plugin<GatewayContext & YogaInitialContext> {
  const started = new WeakMap<Request, number>();
  const operations = new WeakMap<Request, string>();
  return {
    onRequest: ({ request }) => void started.set(request, performance.now()),
    onExecute: ({ args }) =>
      void operations.set(args.contextValue.request, getOperationAST(args.document, args.operationName)?.name?.value ?? 'anonymous'),
    onResponse: ({ request, response }) => {
      const context = contexts.get(request);
      context?.end();
      if (context !== undefined) response.headers.set('x-request-id', context.requestId);
      const path = new URL(request.url).pathname;
      const line = {
        requestId: context?.requestId,
        method: request.method,
        path,
        operation: operations.get(request),
        status: response.status,
        durationMs: Math.round((performance.now() - (started.get(request) ?? performance.now())) * 10) / 10,
        upstreams: context?.upstreamTimings,
      };
      if (path === '/health' || path === '/readiness' || path === '/metrics') logger.debug(line, 'request');
      else logger.info(line, 'request');
    },
  };
}
