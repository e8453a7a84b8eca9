import type { Plugin } from 'graphql-yoga';
import { requestIdOf, type GatewayContext } from '../context.ts';

/**
 * Ends each request's context when its response is out (clears the deadline timer and the
 * client-abort listener) and echoes the request id in `x-request-id`, on every answer. Separate from the request
 * log, so that logging can change without leaving timers behind.
 */
export function useRequestLifecycle(contexts: WeakMap<Request, GatewayContext>): Plugin {
  return {
    onResponse: ({ request, response }) => {
      contexts.get(request)?.end();
      response.headers.set('x-request-id', requestIdOf(request));
    },
  };
}
