import { GraphQLError } from 'graphql';
import {
  createGraphQLError,
  createYoga,
  useReadinessCheck,
  type Plugin,
  type YogaServerInstance,
} from 'graphql-yoga';
import { createKeyChecker } from './auth.ts';
import type { GatewayConfig } from './config.ts';
import { createContext, type GatewayContext, type Upstreams } from './context.ts';
import { BadInputError } from './errors.ts';
import type { Logger } from './observability/logger.ts';
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
  config: Pick<GatewayConfig, 'apiKeys' | 'allowAnonymous'>;
  upstreams: Upstreams;
  logger: Logger;
}

export type Gateway = YogaServerInstance<Record<string, never>, GatewayContext> & {
  /** Stop answering readiness probes with 200, before a graceful shutdown. */
  drain(): void;
};

export function createGateway({ config, upstreams, logger }: GatewayOptions): Gateway {
  let draining = false;
  const yoga = createYoga<Record<string, never>, GatewayContext>({
    schema,
    graphqlEndpoint: '/graphql',
    healthCheckEndpoint: '/health',
    landingPage: false,
    logging: yogaLogger(logger),
    graphiql: {
      title: 'Customer gateway',
      defaultQuery: DEFAULT_QUERY,
      headers: JSON.stringify(config.allowAnonymous ? {} : { Authorization: 'Bearer <your gateway key>' }),
    },
    context: ({ request }) => createContext(upstreams, request),
    maskedErrors: { maskError },
    plugins: [
      ...(config.allowAnonymous ? [] : [useApiKeys(config.apiKeys)]),
      usePartialErrors(),
      useReadinessCheck({ endpoint: '/readiness', check: () => !draining }),
    ],
  });
  return Object.assign(yoga, { drain: () => void (draining = true) });
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
