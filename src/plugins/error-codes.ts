import { GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';

/**
 * Every error a client sees has `extensions.code`. graphql-js and the query-limit rules leave
 * theirs without one: variables that do not fit their type are the client's input, anything
 * else refused before execution is a validation failure.
 */
export function useErrorCodes(): Plugin {
  const withCode = (error: GraphQLError): GraphQLError => {
    if (typeof error.extensions?.code === 'string') return error;
    const code = error.message.startsWith('Variable "$') ? 'BAD_USER_INPUT' : 'GRAPHQL_VALIDATION_FAILED';
    return new GraphQLError(error.message, {
      nodes: error.nodes,
      source: error.source,
      positions: error.positions,
      path: error.path,
      originalError: error.originalError,
      extensions: { ...error.extensions, code },
    });
  };
  return {
    onResultProcess: ({ result, setResult }) => {
      if (Array.isArray(result) || Symbol.asyncIterator in result || result.errors === undefined) return;
      setResult({ ...result, errors: result.errors.map((error) => withCode(error as GraphQLError)) });
    },
  };
}
