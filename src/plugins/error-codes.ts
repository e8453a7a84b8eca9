import { GraphQLError } from 'graphql';
import { isAsyncIterable, mapAsyncIterator, type Plugin } from 'graphql-yoga';
import { mapErrorsOfPart } from './defer-stream.ts';

/**
 * graphql-armor's limits reject a document that parsed fine with messages that begin
 * "Syntax Error:". Each gets its own code and a message that says what to change.
 */
const LIMIT_REJECTIONS: { pattern: RegExp; code: string; message: (match: RegExpExecArray) => string }[] = [
  {
    pattern: /^Syntax Error: Query depth limit of (\d+) exceeded, found (\d+)\.$/,
    code: 'QUERY_TOO_DEEP',
    message: ([, limit, found]) =>
      `The query's depth is ${found}, over the limit of ${limit}: select fewer nested fields.`,
  },
  {
    pattern: /^Syntax Error: Aliases limit of (\d+) exceeded, found (\d+)\.$/,
    code: 'TOO_MANY_ALIASES',
    message: ([, limit, found]) =>
      `The query has ${found} aliases, over the limit of ${limit}: send fewer aliased fields, or several requests.`,
  },
  {
    pattern: /^Syntax Error: Token limit of (\d+) exceeded\.$/,
    code: 'QUERY_TOO_LARGE',
    message: ([, limit]) => `The query has more than ${limit} tokens, the limit: send a shorter document.`,
  },
];

/**
 * Every error a client sees has `extensions.code`. graphql-js and the query-limit rules leave
 * theirs without one: variables that do not fit their type are the client's input, a limit
 * rejection has its own code, anything else refused before execution is a validation failure.
 * An answer sent in parts (`@defer`, `@stream`) gets the same in every part.
 */
export function useErrorCodes(): Plugin {
  const withCode = (error: GraphQLError): GraphQLError => {
    if (typeof error.extensions?.code === 'string') return error;
    let message = error.message;
    let code = message.startsWith('Variable "$') ? 'BAD_USER_INPUT' : 'GRAPHQL_VALIDATION_FAILED';
    for (const rejection of LIMIT_REJECTIONS) {
      const match = rejection.pattern.exec(message);
      if (match === null) continue;
      message = rejection.message(match);
      code = rejection.code;
      break;
    }
    return new GraphQLError(message, {
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
      if (isAsyncIterable(result)) {
        setResult(mapAsyncIterator(result, (part) => mapErrorsOfPart(part, withCode)));
        return;
      }
      if (Array.isArray(result) || result.errors === undefined) return;
      setResult({ ...result, errors: result.errors.map((error) => withCode(error as GraphQLError)) });
    },
  };
}
