import { GraphQLError } from 'graphql';
import { createGraphQLError } from 'graphql-yoga';
import { BadInputError } from '../errors.ts';
import { upstreamGraphQLError } from '../schema/errors.ts';
import { UpstreamError } from '../upstream/errors.ts';

/**
 * Turns every error into one a client may see: upstream failures keep their contract code and
 * source, bad input its message, GraphQL's own errors (syntax, validation, variables) pass, and
 * anything else becomes a bare INTERNAL_SERVER_ERROR with no detail.
 */
export function maskError(error: unknown): Error {
  const graphQLError = error instanceof GraphQLError ? error : undefined;
  const original = graphQLError?.originalError ?? error;
  const path = graphQLError?.path;
  if (original instanceof UpstreamError) {
    return upstreamGraphQLError(original, path);
  }
  if (original instanceof BadInputError) {
    return createGraphQLError(original.message, {
      extensions: { code: original.code, ...(original.field.length > 0 ? { field: original.field } : {}) },
      ...(path === undefined ? {} : { path }),
    });
  }
  if (graphQLError !== undefined && (original === graphQLError || original instanceof GraphQLError)) {
    return withoutInternals(graphQLError);
  }
  return createGraphQLError('Unexpected error.', {
    extensions: { code: 'INTERNAL_SERVER_ERROR' },
    ...(path === undefined ? {} : { path }),
  });
}

/**
 * Yoga puts the parser's own error (V8's SyntaxError, which quotes the body) in
 * `extensions.originalError` of an invalid-JSON answer: the client gets the message alone, with
 * the status Yoga meant (400; its `spec` flag would turn it into 200 once the original is gone).
 */
function withoutInternals(error: GraphQLError): GraphQLError {
  if (error.extensions.originalError === undefined) return error;
  const { originalError: _internal, http, ...rest } = error.extensions;
  const status = typeof http === 'object' && http !== null && 'status' in http ? http.status : undefined;
  const extensions = status === undefined ? rest : { ...rest, http: { status } };
  return createGraphQLError(error.message, {
    nodes: error.nodes,
    source: error.source,
    positions: error.positions,
    path: error.path,
    extensions,
  });
}
