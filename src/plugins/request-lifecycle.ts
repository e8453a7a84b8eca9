import { isAsyncIterable, type Plugin, type YogaInitialContext } from 'graphql-yoga';
import { requestIdOf, type GatewayContext } from '../context.ts';

/**
 * Ends each request's context when its answer is out (clears the deadline timer and the
 * client-abort listener) and echoes the request id in `x-request-id`, on every answer. An answer
 * sent in parts (`@defer`, `@stream`) is out when its last part is, or when the client leaves:
 * until then its deferred upstream calls still run under the deadline and stop with the client.
 * Separate from the request log, so that logging can change without leaving timers behind.
 */
export function useRequestLifecycle(
  contexts: WeakMap<Request, GatewayContext>,
): Plugin<GatewayContext & YogaInitialContext> {
  const streamed = new WeakSet<Request>();
  return {
    onExecute: ({ args }) => ({
      onExecuteDone: ({ result }) => {
        if (!isAsyncIterable(result)) return undefined;
        streamed.add(args.contextValue.request);
        return { onEnd: () => args.contextValue.end() };
      },
    }),
    onResponse: ({ request, response }) => {
      if (!streamed.has(request) || response.body === null) contexts.get(request)?.end();
      response.headers.set('x-request-id', requestIdOf(request));
    },
  };
}
