import type { Plugin } from 'graphql-yoga';
import type { GatewayContext } from '../context.ts';

/**
 * Adds the errors that resolvers reported beside their data: a source that failed while its
 * connection still answered (see reportUnavailable in schema/connection.ts). They carry no
 * `path`, since the fields they concern are not null.
 */
export function usePartialErrors(): Plugin<GatewayContext> {
  return {
    onExecute: () => ({
      onExecuteDone: ({ args, result, setResult }) => {
        const partial = args.contextValue.partialErrors;
        if (partial.length === 0 || Symbol.asyncIterator in result) return;
        setResult({ ...result, errors: [...(result.errors ?? []), ...partial] });
      },
    }),
  };
}
