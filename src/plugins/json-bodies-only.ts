import type { Plugin } from 'graphql-yoga';
import { errorResponse } from './access.ts';

const JSON_TYPES = new Set(['application/json', 'application/graphql-response+json']);

/**
 * Operations in a request body run only when the body is JSON. A browser sends a plain HTML form
 * (`application/x-www-form-urlencoded`, `multipart/form-data`, `text/plain`) to any site without
 * a CORS preflight, so accepting those would let any web page run mutations against an anonymous
 * gateway in the visitor's network. A JSON body from another origin needs a preflight, which
 * the gateway's CORS policy answers. `GET` never runs mutations (Yoga refuses them).
 */
export function useJsonBodiesOnly(): Plugin {
  return {
    onRequest: ({ request, fetchAPI, endResponse }) => {
      if (request.method === 'GET' || request.method === 'HEAD' || request.method === 'OPTIONS') return;
      const mediaType = (request.headers.get('content-type') ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
      if (JSON_TYPES.has(mediaType)) return;
      endResponse(
        errorResponse(fetchAPI, 415, {
          message:
            'A request body must be JSON: send `Content-Type: application/json` with `{"query": ..., "variables": ...}`.',
          code: 'BAD_REQUEST',
          headers: { accept: 'application/json' },
        }),
      );
    },
  };
}
