import type { Tracer } from '@opentelemetry/api';
import { usePrometheus } from '@graphql-yoga/plugin-prometheus';
import { createYoga, type YogaServerInstance } from 'graphql-yoga';
import { useCompiledExecution } from './compiled-execution.ts';
import type { GatewayConfig } from './config.ts';
import { speedTrickOn } from './speed-tricks.ts';
import { createContext, type GatewayContext, type Upstreams } from './context.ts';
import { LRUCache } from 'lru-cache';
import {
  DOCUMENT_CACHE_ENTRIES,
  INPUT_LIMITS,
  QUERY_LIMITS,
  queryLimitPlugins,
  type PersistedDocuments,
} from './limits.ts';
import type { Logger } from './observability/logger.ts';
import type { GatewayMetrics } from './observability/metrics.ts';
import { useRequestLog } from './observability/request-log.ts';
import { useOperationSpans } from './observability/tracing.ts';
import { yogaLogger } from './observability/yoga-logger.ts';
import { useAccess, type NodeServerContext } from './plugins/access.ts';
import type { ClientRateLimiter } from './plugins/client-rate-limit.ts';
import { corsOptions } from './plugins/cors.ts';
import { useDeferAndStream } from './plugins/defer-stream.ts';
import { useErrorCodes } from './plugins/error-codes.ts';
import { maskError } from './plugins/error-masking.ts';
import { createGraphiQLPage } from './plugins/graphiql.ts';
import { useNoSuggestions } from './plugins/hidden-schema.ts';
import { useInputDepthLimit } from './plugins/input-depth.ts';
import { useJsonBodiesOnly } from './plugins/json-bodies-only.ts';
import { useOperationOutcomes } from './plugins/operation-outcomes.ts';
import { usePartialErrors } from './plugins/partial-errors.ts';
import { useReadiness } from './plugins/readiness.ts';
import { useRequestLifecycle } from './plugins/request-lifecycle.ts';
import { useRootPointer } from './plugins/root-pointer.ts';
import type { SharedCache } from './shared/cache.ts';
import type { RedisStatus } from './shared/redis.ts';
import { schema } from './schema/index.ts';

export interface GatewayOptions {
  config: Pick<
    GatewayConfig,
    'apiKeys' | 'allowAnonymous' | 'introspection' | 'graphiql' | 'requestTimeoutMs' | 'corsOrigins'
  >;
  upstreams: Upstreams;
  logger: Logger;
  metrics: GatewayMetrics;
  /** Present only when an OTLP endpoint is configured. */
  tracer?: Tracer | undefined;
  /** Trusted documents by hash: when given, only these operations run. */
  persistedDocuments?: PersistedDocuments | undefined;
  /** The shared cache of look-ups (none when absent). */
  cache?: SharedCache | undefined;
  /** The shared Redis, when REDIS_URL is set: shown by /readiness, never required to serve. */
  redisStatus?: (() => RedisStatus) | undefined;
  /** Per-client request limits (none when absent). */
  rateLimiter?: ClientRateLimiter | undefined;
}

export type Gateway = YogaServerInstance<NodeServerContext, GatewayContext> & {
  /** Stop answering readiness probes with 200, before a graceful shutdown. */
  drain(): void;
};

/** Composes the gateway: Yoga with the schema, the context factory and the plugins in order. */
export function createGateway(options: GatewayOptions): Gateway {
  const { config, upstreams, logger, metrics, tracer, persistedDocuments, cache, redisStatus, rateLimiter } = options;
  let draining = false;
  const contexts = new WeakMap<Request, GatewayContext>();
  const yoga = createYoga<NodeServerContext, GatewayContext>({
    schema,
    graphqlEndpoint: '/graphql',
    // Yoga's health check answers an empty 200 to any URL that ends with its endpoint, before
    // any plugin runs; no request URL ends with a space, so it never does. The readiness plugin
    // answers /health.
    healthCheckEndpoint: ' ',
    landingPage: false,
    // app.ts limits every body before Yoga reads it (by Content-Length, or while reading a
    // chunked one). Yoga's own limit would pipe every body through one more stream for nothing.
    // (Yoga's own limit comes back when the benchmark switches this speed trick off.)
    maxRequestBodySize: speedTrickOn('body-limit-by-content-length') ? false : QUERY_LIMITS.bodyBytes,
    // The access plugin serves the GraphiQL page itself, so that serving it is decided in the
    // same place as every other exemption from the key.
    graphiql: false,
    logging: yogaLogger(logger),
    cors: corsOptions(config.corsOrigins),
    context: ({ request }) => {
      const context = createContext(
        { upstreams, metrics, requestTimeoutMs: config.requestTimeoutMs, tracer, cache },
        request,
      );
      contexts.set(request, context);
      return context;
    },
    maskedErrors: { maskError, isDev: false },
    parserAndValidationCache: {
      documentCache: new LRUCache({ max: DOCUMENT_CACHE_ENTRIES }),
      errorCache: new LRUCache({ max: DOCUMENT_CACHE_ENTRIES }),
    },
    plugins: [
      useAccess({
        keys: config.apiKeys,
        allowAnonymous: config.allowAnonymous,
        graphiql: config.graphiql
          ? createGraphiQLPage({ anonymous: config.allowAnonymous, endpoint: '/graphql' })
          : undefined,
        rateLimiter,
      }),
      useRootPointer({ graphqlEndpoint: '/graphql', graphiql: config.graphiql }),
      useJsonBodiesOnly(),
      useRequestLifecycle(contexts),
      // Before the request log: results are processed in plugin order, and its line shows the
      // errors as the client gets them.
      ...(config.introspection ? [] : [useNoSuggestions()]),
      useErrorCodes(),
      useRequestLog(logger, contexts),
      useInputDepthLimit(INPUT_LIMITS.depth),
      ...queryLimitPlugins({ introspection: config.introspection, persistedDocuments }),
      useDeferAndStream(),
      ...(speedTrickOn('compiled-execution') ? [useCompiledExecution()] : []),
      usePartialErrors(),
      usePrometheus({
        registry: metrics.registry,
        endpoint: '/metrics',
        // Operation names and URLs come from clients: unbounded label values. Names are
        // counted, bounded, by gateway_graphql_operations_total.
        labels: { operationName: false, url: false, path: false },
        // The HTTP duration histogram only: operations and their outcomes are counted by
        // gateway_graphql_operations_total, upstream calls by their own metrics. Envelop's
        // per-operation and per-phase metrics would each add hooks and label work to every
        // request (parse and validate are cache hits for any repeated document anyway).
        metrics: {
          graphql_envelop_request: false,
          graphql_envelop_request_duration: false,
          graphql_envelop_error_result: false,
          graphql_envelop_phase_parse: false,
          graphql_envelop_phase_validate: false,
          graphql_envelop_phase_context: false,
          graphql_envelop_phase_execute: false,
          graphql_envelop_phase_subscribe: false,
          graphql_envelop_deprecated_field: false,
          graphql_envelop_schema_change: false,
          graphql_envelop_request_time_summary: false,
          graphql_envelop_execute_resolver: false,
          graphql_yoga_http_duration: true,
        },
      }),
      useOperationOutcomes(metrics),
      ...(tracer === undefined ? [] : [useOperationSpans(tracer)]),
      useReadiness({ draining: () => draining, upstreams, redisStatus }),
    ],
  });
  return Object.assign(yoga, { drain: () => void (draining = true) });
}
