import type { Logger } from './logger.ts';

/**
 * Yoga's own log calls, as JSON lines of the gateway's logger. Errors are written out by name,
 * message and stack: inside an argument list pino would print an Error as an empty object.
 */
export function yogaLogger(logger: Logger) {
  const fields = (args: unknown[]) => ({ args: args.map(describe) });
  return {
    debug: (...args: unknown[]) => logger.debug(fields(args), 'yoga'),
    info: (...args: unknown[]) => logger.info(fields(args), 'yoga'),
    warn: (...args: unknown[]) => logger.warn(fields(args), 'yoga'),
    error: (...args: unknown[]) => logger.error(fields(args), 'yoga'),
  };
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
