import { isAsyncIterable, type Plugin } from 'graphql-yoga';
import type { GatewayContext } from '../context.ts';
import { addErrorsToPart, type ResultPart } from './defer-stream.ts';

/**
 * Adds the errors that resolvers reported beside their data: a source that failed while its
 * connection still answered (see reportUnavailable in schema/connection.ts). They carry no
 * `path`, since the fields they concern are not null. An answer sent in parts (`@defer`,
 * `@stream`) carries each in the first part sent after the failure (in a later part: in its
 * first deferred fragment's errors, where clients read them).
 */
export function usePartialErrors(): Plugin<GatewayContext> {
  return {
    onExecute: () => ({
      onExecuteDone: ({ args, result, setResult }) => {
        const partial = args.contextValue.partialErrors;
        if (isAsyncIterable(result)) {
          let sent = 0;
          return {
            onNext: ({ result: part, setResult: setPart }) => {
              if (partial.length === sent) return;
              const fresh = partial.slice(sent);
              sent = partial.length;
              setPart(addErrorsToPart(part as ResultPart, fresh) as typeof part);
            },
          };
        }
        if (partial.length === 0) return undefined;
        setResult({ ...result, errors: [...(result.errors ?? []), ...partial] });
        return undefined;
      },
    }),
  };
}
