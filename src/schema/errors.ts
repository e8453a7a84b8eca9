import { createGraphQLError } from 'graphql-yoga';
import { responsePathAsArray, type GraphQLError, type GraphQLResolveInfo } from 'graphql';
import { publicMessage, type UpstreamError } from '../upstream/errors.ts';

/** The GraphQL error a client sees for an upstream failure: contract code plus source. */
export function upstreamGraphQLError(error: UpstreamError, path?: GraphQLResolveInfo['path']): GraphQLError {
  return createGraphQLError(publicMessage(error), {
    extensions: { code: error.code, source: error.source },
    ...(path === undefined ? {} : { path: responsePathAsArray(path) }),
  });
}
