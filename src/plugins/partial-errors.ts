import type { Plugin } from 'graphql-yoga';
import type { GatewayContext } from '../context.ts';

/** Adds the errors that resolvers reported beside their data (see GatewayContext). */
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
