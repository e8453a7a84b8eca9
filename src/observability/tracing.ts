import {
  propagation,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace,
  type Span,
  type TextMapGetter,
  type Tracer,
} from '@opentelemetry/api';
import { operationNameOf } from './operation-name.ts';
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
  const [
    { NodeTracerProvider, BatchSpanProcessor },
    { OTLPTraceExporter },
    { resourceFromAttributes },
    { W3CTraceContextPropagator },
  ] = await Promise.all([
    import('@opentelemetry/sdk-trace-node'),
    import('@opentelemetry/exporter-trace-otlp-http'),
    import('@opentelemetry/resources'),
    import('@opentelemetry/core'),
  ]);
  // W3C trace context, in and out: a caller's `traceparent` becomes the operation span's parent
  // (useOperationSpans), and every upstream call carries the operation's (traceHeaders). Until
  // this runs, OpenTelemetry's propagation API is a no-op: without tracing nothing is read or sent.
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ 'service.name': serviceName }),
    spanProcessors: [
      new BatchSpanProcessor(new OTLPTraceExporter({ url: `${endpoint.replace(/\/+$/, '')}/v1/traces` })),
    ],
  });
  return { tracer: provider.getTracer('customer-gateway'), shutdown: () => provider.shutdown() };
}

/** Where a request's spans hang: its GraphQL operation span, once execution starts. */
export interface TracedRequest {
  span?: Span | undefined;
}

/** Reads trace headers from a Fetch request's headers. */
const requestHeaders: TextMapGetter<Headers> = {
  get: (headers, key) => headers.get(key) ?? undefined,
  keys: (headers) => [...headers.keys()],
};

/**
 * The headers that carry a request's trace to an upstream (`traceparent`, and `tracestate` when
 * the caller sent one): the operation span as the parent. None without a span, that is without
 * tracing or before execution starts. The NXLink signature covers four named headers only, so
 * these leave it valid.
 */
export function traceHeaders(span: Span | undefined): Record<string, string> {
  if (span === undefined) return {};
  const headers: Record<string, string> = {};
  propagation.inject(trace.setSpan(ROOT_CONTEXT, span), headers);
  return headers;
}

/**
 * One span per executed GraphQL operation, named by its type and name: a child of the caller's
 * span when the request carries a W3C `traceparent`, else the root of a new trace. An answer
 * sent in parts (`@defer`, `@stream`): the span lasts until the last part, so that the deferred
 * upstream calls fall within it.
 */
export function useOperationSpans(tracer: Tracer): Plugin<{ tracing: TracedRequest; request: Request }> {
  return {
    onExecute: ({ args }) => {
      const name = operationNameOf(args) ?? 'anonymous';
      const caller = propagation.extract(ROOT_CONTEXT, args.contextValue.request.headers, requestHeaders);
      const span = tracer.startSpan(
        `graphql ${name}`,
        {
          kind: SpanKind.SERVER,
          attributes: { 'graphql.operation.name': name },
        },
        caller,
      );
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
