import { GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';

/** "Did you mean ...?" in graphql-js messages: fields, arguments, types, enum values. */
const SUGGESTION = /\s*Did you mean [^?]*\?/g;

/**
 * With introspection off, error messages must not hand the schema out piece by piece: graphql-js
 * suggests the names nearest to a mistyped one, in validation errors and in variable errors
 * alike, so a word list recovers most of the schema. Every suggestion is removed from every
 * error before the response goes out.
 */
export function useNoSuggestions(): Plugin {
  const scrub = (error: GraphQLError): GraphQLError => {
    if (!error.message.includes('Did you mean')) return error;
    return new GraphQLError(error.message.replace(SUGGESTION, ''), {
      nodes: error.nodes,
      source: error.source,
      positions: error.positions,
      path: error.path,
      originalError: error.originalError,
      extensions: error.extensions,
    });
  };
  return {
    onResultProcess: ({ result, setResult }) => {
      if (Array.isArray(result) || Symbol.asyncIterator in result || result.errors === undefined) return;
      setResult({ ...result, errors: result.errors.map((error) => scrub(error as GraphQLError)) });
    },
  };
}
