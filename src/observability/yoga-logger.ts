import { GraphQLError } from 'graphql';
import { BadInputError } from '../errors.ts';
import { UpstreamError } from '../upstream/errors.ts';
import type { Logger } from './logger.ts';

/**
 * Yoga's own log calls, as JSON lines of the gateway's logger. Errors are written out by name,
 * message and stack: inside an argument list pino would print an Error as an empty object.
 *
 * Yoga logs every error it masks at error level; of those, a client's mistake (bad input, a
 * document or body that does not parse or validate) and an upstream's failure are expected, and
 * the request's own log line already holds them with its request id: they go to debug. Anything
 * else (the gateway's own faults, with their stack) stays at error level.
 */
export function yogaLogger(logger: Logger) {
  const fields = (args: unknown[]) => ({ args: args.map(describe) });
  return {
    debug: (...args: unknown[]) => logger.debug(fields(args), 'yoga'),
    info: (...args: unknown[]) => logger.info(fields(args), 'yoga'),
    warn: (...args: unknown[]) => logger.warn(fields(args), 'yoga'),
    error: (...args: unknown[]) => {
      if (args.length > 0 && args.every(isExpected)) logger.debug(fields(args), 'yoga');
      else logger.error(fields(args), 'yoga');
    },
  };
}

function isExpected(value: unknown): boolean {
  const original = value instanceof GraphQLError ? (value.originalError ?? value) : value;
  return original instanceof BadInputError || original instanceof UpstreamError || original instanceof GraphQLError;
}

function describe(value: unknown): unknown {
  if (!(value instanceof Error)) return value;
  const cause = 'originalError' in value && value.originalError instanceof Error ? value.originalError : value.cause;
  return {
    type: value.name,
    message: value.message,
    stack: value.stack,
    ...(cause instanceof Error ? { cause: describe(cause) } : {}),
  };
}
