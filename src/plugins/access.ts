import type { IncomingMessage } from 'node:http';
import type { Plugin } from 'graphql-yoga';
import { createKeyChecker } from '../auth.ts';
import type { ClientRateLimiter } from './client-rate-limit.ts';
import type { GraphiQLPage } from './graphiql.ts';

export interface AccessOptions {
  /** Gateway keys clients present as `Authorization: Bearer <key>`. */
  keys: readonly string[];
  /** Lets requests without a valid key in (sandbox mode, or GATEWAY_ALLOW_ANONYMOUS=true). */
  allowAnonymous: boolean;
  /** The GraphiQL page, when GraphiQL is on. */
  graphiql: GraphiQLPage | undefined;
  /** Per-client request limits, when on. */
  rateLimiter: ClientRateLimiter | undefined;
}

/** The server context of the node:http adapter: the socket tells the client's address. */
export interface NodeServerContext {
  req: IncomingMessage;
}

/**
 * The one place that decides whether a request may go on, before anything else of the gateway
 * sees it. Default deny: every request needs a valid key (unless anonymous access is on) except
 *
 * - the liveness and readiness probes (`GET`/`HEAD` of `/health` and `/readiness`), which hold
 *   no customer data, and
 * - the GraphiQL page itself, which this plugin serves and ends here: a static HTML shell that
 *   holds no data, so a request that is taken for a page request can never execute anything.
 *
 * Every other route (`/graphql` in any method with any Accept header, `/metrics`, unknown paths)
 * needs the key. Each client (a valid key, else the caller's address) is rate limited before
 * its key is even checked, so guessing keys is limited too.
 */
export function useAccess(options: AccessOptions): Plugin<Record<string, unknown>, NodeServerContext> {
  const checkKey = createKeyChecker(options.keys);
  return {
    onRequest: async ({ request, url, serverContext, endResponse, fetchAPI }) => {
      if (isProbe(request, url)) return;
      const key = checkKey(request.headers.get('authorization'));
      if (options.rateLimiter !== undefined) {
        const client =
          key.outcome === 'valid'
            ? `key:${key.keyId}`
            : `address:${serverContext.req?.socket.remoteAddress ?? 'unknown'}`;
        const refusal = await options.rateLimiter.take(client);
        if (refusal !== undefined) {
          endResponse(
            errorResponse(fetchAPI, 429, {
              message: `Too many requests from this client: at most ${refusal.limit} a minute. Try again in ${refusal.retryAfterS} s.`,
              code: 'RATE_LIMITED',
              headers: { 'retry-after': String(refusal.retryAfterS) },
            }),
          );
          return;
        }
      }
      if (options.graphiql?.isPageRequest(request, url)) {
        endResponse(await options.graphiql.respond(request, fetchAPI));
        return;
      }
      if (options.allowAnonymous || key.outcome === 'valid') return;
      endResponse(
        errorResponse(fetchAPI, 401, {
          message:
            key.outcome === 'missing'
              ? 'A gateway key is required: send `Authorization: Bearer <key>`.'
              : 'The gateway key is not valid: send `Authorization: Bearer <key>` with a key this gateway was given.',
          code: 'UNAUTHENTICATED',
          headers: { 'www-authenticate': 'Bearer' },
        }),
      );
    },
  };
}

function isProbe(request: Request, url: URL): boolean {
  return (
    (url.pathname === '/health' || url.pathname === '/readiness') &&
    (request.method === 'GET' || request.method === 'HEAD')
  );
}

/** A refusal in the GraphQL-over-HTTP error shape, so clients read it like any other error. */
export function errorResponse(
  fetchAPI: { Response: typeof Response },
  status: number,
  error: { message: string; code: string; headers?: Record<string, string> },
): Response {
  const body = { errors: [{ message: error.message, extensions: { code: error.code } }] };
  return new fetchAPI.Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json', ...error.headers },
  });
}
