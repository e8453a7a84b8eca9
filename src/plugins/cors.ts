import type { CORSOptions } from 'graphql-yoga';

/**
 * Cross-origin calls only from the configured origins: none by default (GraphiQL is served from
 * the gateway's own origin, and server-side clients send no Origin). Keys travel in the
 * Authorization header, never in cookies, so credentials mode stays off.
 */
export function corsOptions(origins: readonly string[]): CORSOptions | false {
  if (origins.length === 0) return false;
  return {
    origin: origins.includes('*') ? '*' : [...origins],
    methods: ['GET', 'POST'],
    allowedHeaders: ['authorization', 'content-type', 'accept', 'x-request-id'],
    exposedHeaders: ['x-request-id'],
    credentials: false,
    maxAge: 600,
  };
}
