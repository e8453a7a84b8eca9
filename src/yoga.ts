import type { Tracer } from '@opentelemetry/api';
import { usePrometheus } from '@graphql-yoga/plugin-prometheus';
import { GraphQLError, getOperationAST } from 'graphql';
import {
  createGraphQLError,
  createYoga,
  type CORSOptions,
  type Plugin,
  type YogaServerInstance,
} from 'graphql-yoga';
import { createKeyChecker } from './auth.ts';
import { useCompiledExecution } from './compiled-execution.ts';
import type { GatewayConfig } from './config.ts';
import { createContext, type GatewayContext, type Upstreams } from './context.ts';
import { BadInputError } from './errors.ts';
import { queryLimitPlugins, type PersistedDocuments } from './limits.ts';
import type { Logger } from './observability/logger.ts';
import { useRequestLog } from './observability/request-log.ts';
import type { GatewayMetrics } from './observability/metrics.ts';
import type { SharedCache } from './shared/cache.ts';
import type { RedisStatus } from './shared/redis.ts';
import { useOperationSpans } from './observability/tracing.ts';
import { upstreamGraphQLError } from './schema/errors.ts';
import { schema } from './schema/index.ts';
import { UpstreamError } from './upstream/errors.ts';

export const DEFAULT_QUERY = /* GraphQL */ `# Customers of Quentli and NXLink in one list, newest first,
# each with its record in the other system.
query Customers {
  customers(first: 5) {
    edges {
      node {
        name
        source
        phoneNumber
        createdAt
        ... on QuentliCustomer {
          username
          nxlinkProfile { fullName whatsappPhone }
        }
        ... on NxlinkCustomer {
          tags { tagName }
          quentliCustomer { username email }
        }
      }
    }
    pageInfo { hasNextPage endCursor }
  }
}
`;

export interface GatewayOptions {
  config: Pick<GatewayConfig, 'apiKeys' | 'allowAnonymous' | 'introspection' | 'graphiql' | 'requestTimeoutMs' | 'corsOrigins'>;
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
}

export type Gateway = YogaServerInstance<Record<string, never>, GatewayContext> & {
  /** Stop answering readiness probes with 200, before a graceful shutdown. */
  drain(): void;
};

export function createGateway(options: GatewayOptions): Gateway {
  const { config, upstreams, logger, metrics, tracer, persistedDocuments, cache, redisStatus } = options;
  let draining = false;
  const contexts = new WeakMap<Request, GatewayContext>();
  const yoga = createYoga<Record<string, never>, GatewayContext>({
    schema,
    graphqlEndpoint: '/graphql',
    healthCheckEndpoint: '/health',
    landingPage: false,
    // app.ts refuses a body without Content-Length or above QUERY_LIMITS.bodyBytes before Yoga
    // reads it, and node:http never reads past Content-Length. Yoga's own limit would pipe every
    // body through one more stream for nothing.
    maxRequestBodySize: false,
    // Assets inline: GraphiQL works where browsers cannot reach a CDN.
    // Loaded with the first GraphiQL page: its inline assets weigh tens of MB of heap.
    renderGraphiQL: async (options) => (await import('@graphql-yoga/render-graphiql')).renderGraphiQL(options),
    logging: yogaLogger(logger),
    graphiql: config.graphiql && {
      title: 'Customer gateway',
      defaultQuery: DEFAULT_QUERY,
      headers: JSON.stringify(config.allowAnonymous ? {} : { Authorization: 'Bearer <your gateway key>' }),
    },
    cors: corsOptions(config.corsOrigins),
    context: ({ request }) => {
      const context = createContext({ upstreams, metrics, requestTimeoutMs: config.requestTimeoutMs, tracer, cache }, request);
      contexts.set(request, context);
      return context;
    },
    maskedErrors: { maskError },
    plugins: [
      useRequestLog(logger, contexts),
      ...(config.allowAnonymous ? [] : [useApiKeys(config.apiKeys)]),
      ...queryLimitPlugins({ introspection: config.introspection, persistedDocuments }),
      useCompiledExecution(),
      usePartialErrors(),
      useErrorCodes(),
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
      useReadiness(({ fetchAPI }) => readiness(fetchAPI, draining, upstreams, redisStatus)),
    ],
  });
  return Object.assign(yoga, { drain: () => void (draining = true) });
}

/**
 * Cross-origin calls only from the configured origins: none by default (GraphiQL is served from
 * the gateway's own origin, and server-side clients send no Origin). Keys travel in the
 * Authorization header, never in cookies, so credentials mode stays off.
 */
function corsOptions(origins: readonly string[]): CORSOptions | false {
  if (origins.length === 0) return false;
  return {
    origin: origins.includes('*') ? '*' : [...origins],
    methods: ['GET', 'POST'],
    allowedHeaders: ['authorization', 'content-type', 'accept', 'x-request-id'],
    exposedHeaders: ['x-request-id'],
    credentials: false,
    maxAge: 600,
  };
}

/**
 * `GET /readiness` answers `answer`. Yoga's useReadinessCheck matches the path with a URLPattern
 * on every request, which the polyfill Node 20 needs makes a noticeable share of a request's cost.
 */
function useReadiness(answer: (payload: { fetchAPI: { Response: typeof Response } }) => Response): Plugin {
  return {
    onRequest: ({ request, url, fetchAPI, endResponse }) => {
      if (url.pathname === '/readiness' && (request.method === 'GET' || request.method === 'HEAD')) endResponse(answer({ fetchAPI }));
    },
  };
}

/**
 * Ready unless shutting down or every upstream's circuit is open (then nothing could be served).
 * One failing upstream leaves the gateway ready: the other source's fields still answer. The
 * body shows each breaker, so an operator sees a degraded upstream either way. Redis is shown
 * too (`up`, `down`, or `off` without REDIS_URL) but never decides: without it every replica
 * serves on in-process state.
 */
function readiness(
  fetchAPI: { Response: typeof Response },
  draining: boolean,
  upstreams: Upstreams,
  redisStatus: (() => RedisStatus) | undefined,
): Response {
  const policies = [upstreams.quentli.policy, upstreams.nxlink.policy];
  const ready = !draining && !policies.every((policy) => policy.failingFast());
  const body = {
    ready,
    draining,
    upstreams: Object.fromEntries(policies.map((policy) => [policy.source, policy.breakerState()])),
    redis: redisStatus?.() ?? 'off',
  };
  return new fetchAPI.Response(JSON.stringify(body), {
    status: ready ? 200 : 503,
    headers: { 'content-type': 'application/json' },
  });
}

/**
 * Turns every error into one a client may see: upstream failures keep their contract code and
 * source, bad input its message, GraphQL's own errors (syntax, validation, variables) pass, and
 * anything else becomes a bare INTERNAL_SERVER_ERROR with no detail.
 */
function maskError(error: unknown): Error {
  const graphQLError = error instanceof GraphQLError ? error : undefined;
  const original = graphQLError?.originalError ?? error;
  const path = graphQLError?.path;
  if (original instanceof UpstreamError) {
    const masked = upstreamGraphQLError(original);
    return path === undefined ? masked : createGraphQLError(masked.message, { extensions: masked.extensions, path });
  }
  if (original instanceof BadInputError) {
    return createGraphQLError(original.message, {
      extensions: { code: original.code, ...(original.field.length > 0 ? { field: original.field } : {}) },
      ...(path === undefined ? {} : { path }),
    });
  }
  if (graphQLError !== undefined && (original === graphQLError || original instanceof GraphQLError)) {
    return graphQLError;
  }
  return createGraphQLError('Unexpected error.', {
    extensions: { code: 'INTERNAL_SERVER_ERROR' },
    ...(path === undefined ? {} : { path }),
  });
}

/** Adds the errors that resolvers reported beside their data (see GatewayContext). */
function usePartialErrors(): Plugin<GatewayContext> {
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

/**
 * Every error a client sees has `extensions.code`. graphql-js and the query-limit rules leave
 * theirs without one: variables that do not fit their type are the client's input, anything
 * else refused before execution is a validation failure.
 */
function useErrorCodes(): Plugin {
  const withCode = (error: GraphQLError): GraphQLError => {
    if (typeof error.extensions?.code === 'string') return error;
    const code = error.message.startsWith('Variable "$') ? 'BAD_USER_INPUT' : 'GRAPHQL_VALIDATION_FAILED';
    return new GraphQLError(error.message, {
      nodes: error.nodes,
      source: error.source,
      positions: error.positions,
      path: error.path,
      originalError: error.originalError,
      extensions: { ...error.extensions, code },
    });
  };
  return {
    onResultProcess: ({ result, setResult }) => {
      if (Array.isArray(result) || Symbol.asyncIterator in result || result.errors === undefined) return;
      setResult({ ...result, errors: result.errors.map((error) => withCode(error as GraphQLError)) });
    },
  };
}

/** Counts each executed operation by name and outcome: ok, partial (data and errors), error. */
function useOperationOutcomes(metrics: GatewayMetrics): Plugin {
  return {
    onExecute: ({ args }) => ({
      onExecuteDone: ({ result }) => {
        if (Symbol.asyncIterator in result) return;
        const operation = metrics.operationLabel(getOperationAST(args.document, args.operationName)?.name?.value);
        const outcome = result.errors?.length ? (result.data ? 'partial' : 'error') : 'ok';
        metrics.operations.inc({ operation, outcome });
      },
    }),
  };
}

/**
 * Every request must carry a gateway key, except liveness and readiness probes and the GraphiQL
 * page itself (whose header editor then sends the key with each query).
 */
function useApiKeys(keys: readonly string[]): Plugin {
  const isValid = createKeyChecker(keys);
  return {
    onRequest: ({ request, url, endResponse, fetchAPI }) => {
      if (url.pathname === '/health' || url.pathname === '/readiness') return;
      if (request.method === 'GET' && (request.headers.get('accept') ?? '').includes('text/html')) return;
      if (isValid(request.headers.get('authorization'))) return;
      const body = {
        errors: [
          {
            message: 'A gateway key is required: send `Authorization: Bearer <key>`.',
            extensions: { code: 'UNAUTHENTICATED' },
          },
        ],
      };
      endResponse(
        new fetchAPI.Response(JSON.stringify(body), {
          status: 401,
          headers: { 'content-type': 'application/json', 'www-authenticate': 'Bearer' },
        }),
      );
    },
  };
}

function yogaLogger(logger: Logger) {
  return {
    debug: (...args: unknown[]) => logger.debug({ args }, 'yoga'),
    info: (...args: unknown[]) => logger.info({ args }, 'yoga'),
    warn: (...args: unknown[]) => logger.warn({ args }, 'yoga'),
    error: (...args: unknown[]) => logger.error({ args }, 'yoga'),
  };
}
