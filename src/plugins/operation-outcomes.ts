import { isAsyncIterable, type Plugin } from 'graphql-yoga';
import type { GatewayMetrics } from '../observability/metrics.ts';
import { operationNameOf } from '../observability/operation-name.ts';
import { errorsOfPart, type ResultPart } from './defer-stream.ts';

/**
 * Counts each executed operation by name and outcome: ok, partial (data and errors), error. An
 * answer sent in parts (`@defer`, `@stream`) counts once, when it ends, with the errors of all
 * its parts.
 */
export function useOperationOutcomes(metrics: GatewayMetrics): Plugin {
  return {
    onExecute: ({ args }) => {
      const count = (data: unknown, errors: number) => {
        const operation = metrics.operationLabel(operationNameOf(args));
        const outcome = errors > 0 ? (data ? 'partial' : 'error') : 'ok';
        metrics.operations.inc({ operation, outcome });
      };
      return {
        onExecuteDone: ({ result }) => {
          if (!isAsyncIterable(result)) {
            count(result.data, result.errors?.length ?? 0);
            return undefined;
          }
          let data: unknown;
          let errors = 0;
          return {
            onNext: ({ result: part }) => {
              data ??= part.data;
              errors += errorsOfPart(part as ResultPart).length;
            },
            onEnd: () => count(data, errors),
          };
        },
      };
    },
  };
}
