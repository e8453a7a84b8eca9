import type { Plugin } from 'graphql-yoga';
import type { GatewayContext } from '../context.ts';

/**
 * Ends each request's context when its response is out (clears the deadline timer and the
 * client-abort listener) and echoes the request id in `x-request-id`. Separate from the request
 * log, so that logging can change without leaving timers behind.
 */
export function useRequestLifecycle(contexts: WeakMap<Request, GatewayContext>): Plugin {
  return {
    onResponse: ({ request, response }) => {
      const context = contexts.get(request);
      if (context === undefined) return;
      context.end();
      response.headers.set('x-request-id', context.requestId);
    },
  };
}
