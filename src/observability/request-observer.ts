import { ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type Span, type Tracer } from '@opentelemetry/api';
import type { UpstreamSource } from '../upstream/errors.ts';
import type { AttemptRecord } from '../upstream/call.ts';
import type { GatewayMetrics } from './metrics.ts';

/** Upstream work of one request, per source, for its log line. */
export interface UpstreamTiming {
  calls: number;
  failed: number;
  /** Summed duration of the attempts, in milliseconds (parallel calls overlap). */
  ms: number;
  /**
   * Why attempts failed (the first few), with the upstream's own text where it gave one: clients
   * see the gateway's message only, and this line, found by the request id, tells the rest.
   */
  errors?: string[];
}

const LOGGED_ERRORS_PER_SOURCE = 5;

export type UpstreamTimings = Partial<Record<UpstreamSource, UpstreamTiming>>;

export interface RequestObserverOptions {
  metrics: GatewayMetrics;
  /** Present only when tracing is on. */
  tracer?: Tracer | undefined;
  /** The request's operation span, once execution has started. */
  parentSpan: () => Span | undefined;
}

export interface RequestObserver {
  timings: UpstreamTimings;
  /** Records one upstream attempt: metrics, the request's timings, and a span when tracing. */
  attempt(record: AttemptRecord): void;
  /** Records the size of one DataLoader batch. */
  batch(loader: string, size: number): void;
}

export function createRequestObserver({ metrics, tracer, parentSpan }: RequestObserverOptions): RequestObserver {
  const timings: UpstreamTimings = {};
  return {
    timings,
    attempt(record) {
      const { source, operation, status, durationMs } = record;
      metrics.upstreamCalls.inc({ source, route: operation, status });
      metrics.upstreamDuration.observe({ source, route: operation }, durationMs / 1000);
      const timing = (timings[source] ??= { calls: 0, failed: 0, ms: 0 });
      timing.calls += 1;
      if (status !== 'ok') timing.failed += 1;
      if (record.error !== undefined && (timing.errors ??= []).length < LOGGED_ERRORS_PER_SOURCE)
        timing.errors.push(record.error);
      timing.ms = Math.round((timing.ms + durationMs) * 10) / 10;
      if (tracer !== undefined) traceAttempt(tracer, parentSpan(), record);
    },
    batch(loader, size) {
      metrics.loaderBatchSize.observe({ loader }, size);
    },
  };
}

/** A client span for one attempt, as a child of the operation span, with its real times. */
function traceAttempt(tracer: Tracer, parent: Span | undefined, record: AttemptRecord): void {
  const context = parent === undefined ? undefined : trace.setSpan(ROOT_CONTEXT, parent);
  const span = tracer.startSpan(
    `${record.source} ${record.operation}`,
    {
      kind: SpanKind.CLIENT,
      startTime: record.startedAt,
      attributes: {
        'upstream.source': record.source,
        'upstream.operation': record.operation,
        'upstream.attempt': record.attempt,
        'upstream.status': record.status,
      },
    },
    context,
  );
  if (record.status !== 'ok') span.setStatus({ code: SpanStatusCode.ERROR, message: record.status });
  span.end(record.startedAt + record.durationMs);
}
