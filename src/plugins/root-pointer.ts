import type { Plugin } from 'graphql-yoga';

/**
 * `GET /`: where things are, rather than an empty 404 for someone who opens the gateway's
 * origin. It runs after the access plugin, so it needs a key like every route but the probes
 * and the GraphiQL page; it holds no data either way.
 */
export function useRootPointer(options: { graphqlEndpoint: string; graphiql: boolean }): Plugin {
  const body = JSON.stringify({
    message: `This is the customer gateway's GraphQL API: send queries to ${options.graphqlEndpoint} (POST, or GET for queries).${
      options.graphiql ? ` Open ${options.graphqlEndpoint} in a browser for GraphiQL.` : ''
    }`,
    graphql: options.graphqlEndpoint,
    graphiql: options.graphiql ? options.graphqlEndpoint : null,
    health: '/health',
    readiness: '/readiness',
  });
  return {
    onRequest: ({ request, url, fetchAPI, endResponse }) => {
      if (url.pathname !== '/' || (request.method !== 'GET' && request.method !== 'HEAD')) return;
      endResponse(new fetchAPI.Response(body, { status: 200, headers: { 'content-type': 'application/json' } }));
    },
  };
}
