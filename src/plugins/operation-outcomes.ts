import type { Plugin } from 'graphql-yoga';
import type { GatewayMetrics } from '../observability/metrics.ts';
import { operationNameOf } from '../observability/operation-name.ts';

/** Counts each executed operation by name and outcome: ok, partial (data and errors), error. */
export function useOperationOutcomes(metrics: GatewayMetrics): Plugin {
  return {
    onExecute: ({ args }) => ({
      onExecuteDone: ({ result }) => {
        if (Symbol.asyncIterator in result) return;
        const operation = metrics.operationLabel(operationNameOf(args));
        const outcome = result.errors?.length ? (result.data ? 'partial' : 'error') : 'ok';
        metrics.operations.inc({ operation, outcome });
      },
    }),
  };
}
