import { SpanKind, SpanStatusCode, type Span, type Tracer } from '@opentelemetry/api';
import { getOperationAST } from 'graphql';
import { isAsyncIterable, type Plugin } from 'graphql-yoga';
import { errorsOfPart, type ResultPart } from '../plugins/defer-stream.ts';

export interface Tracing {
  tracer: Tracer;
  /** Sends the spans still buffered, then stops. */
  shutdown(): Promise<void>;
}

/**
 * OpenTelemetry spans exported over OTLP/HTTP, only when an endpoint is configured: without one
 * the SDK is never loaded and no plugin is installed, so tracing costs nothing when off.
 */
export async function startTracing(endpoint: string, serviceName: string): Promise<Tracing> {
  const [{ NodeTracerProvider, BatchSpanProcessor }, { OTLPTraceExporter }, { resourceFromAttributes }] =
    await Promise.all([
      import('@opentelemetry/sdk-trace-node'),
      import('@opentelemetry/exporter-trace-otlp-http'),
      import('@opentelemetry/resources'),
    ]);
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ 'service.name': serviceName }),
    spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter({ url: `${endpoint.replace(/\/+$/, '')}/v1/traces` }))],
  });
  return { tracer: provider.getTracer('customer-gateway'), shutdown: () => provider.shutdown() };
}

/** Where a request's spans hang: its GraphQL operation span, once execution starts. */
export interface TracedRequest {
  span?: Span | undefined;
}

/**
 * One span per executed GraphQL operation, named by its type and name. An answer sent in parts
 * (`@defer`, `@stream`): the span lasts until the last part, so that the deferred upstream calls
 * fall within it.
 */
export function useOperationSpans(tracer: Tracer): Plugin<{ tracing: TracedRequest }> {
  return {
    onExecute: ({ args }) => {
      const name = getOperationAST(args.document, args.operationName)?.name?.value ?? 'anonymous';
      const span = tracer.startSpan(`graphql ${name}`, {
        kind: SpanKind.SERVER,
        attributes: { 'graphql.operation.name': name },
      });
      args.contextValue.tracing.span = span;
      return {
        onExecuteDone: ({ result }) => {
          const failed = (message: unknown) =>
            span.setStatus({ code: SpanStatusCode.ERROR, message: typeof message === 'string' ? message : 'error' });
          if (isAsyncIterable(result)) {
            let error: unknown;
            return {
              onNext: ({ result: part }) => {
                error ??= errorsOfPart(part as ResultPart)[0];
              },
              onEnd: () => {
                if (error !== undefined) failed((error as { message?: unknown }).message);
                span.end();
              },
            };
          }
          if (result.errors?.length) failed(result.errors[0]?.message);
          span.end();
          return undefined;
        },
      };
    },
  };
}
