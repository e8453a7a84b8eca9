import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { GatewayConfig } from './config.ts';
import { listen } from './listen.ts';
import { QUERY_LIMITS, readPersistedDocuments, type PersistedDocuments } from './limits.ts';
import type { Logger } from './observability/logger.ts';
import { GatewayMetrics } from './observability/metrics.ts';
import { reportUnreadable } from './observability/unreadable.ts';
import { createClientRateLimiter } from './plugins/client-rate-limit.ts';
import type { Sandbox } from './sandbox/index.ts';
import { createSharedCache } from './shared/cache.ts';
import { redisPersistedDocuments } from './shared/persisted-documents.ts';
import { createRateBudget } from './upstream/rate-budget.ts';
import { connectRedis } from './shared/redis.ts';
import { startTracing } from './observability/tracing.ts';
import type { UpstreamSource } from './upstream/errors.ts';
import { createUpstreamPolicy } from './upstream/resilience.ts';
import { createNxlinkClient } from './upstream/nxlink/client.ts';
import { createQuentliClient } from './upstream/quentli/client.ts';
import { createGateway, type Gateway } from './yoga.ts';

export interface RunningGateway {
  /** Origin the gateway listens on, e.g. http://127.0.0.1:4000 */
  url: string;
  gateway: Gateway;
  /** The embedded sandbox upstreams, in sandbox mode. */
  sandbox: Sandbox | undefined;
  /**
   * Stops taking requests, lets those in flight finish, then closes the upstream pools. With
   * `drainMs`, first answers readiness with 503 and keeps serving for up to that long, every
   * response closing its connection, until no client connection is left open: load balancers
   * see the 503 (also on a kept-alive connection) and move to another replica.
   */
  close(options?: { drainMs?: number }): Promise<void>;
}

/** Starts the gateway (and, in sandbox mode, the sandbox upstreams it points at). */
export async function startGateway(config: GatewayConfig, logger: Logger): Promise<RunningGateway> {
  // The sandbox's code is loaded only in sandbox mode.
  const sandbox = config.sandbox
    ? await (await import('./sandbox/index.ts')).startSandbox({
        host: '127.0.0.1',
        quentliApiKey: config.quentli.apiKey,
        nxlink: config.nxlink,
      })
    : undefined;
  const quentliConfig = sandbox ? { ...config.quentli, baseUrl: sandbox.quentli.url } : config.quentli;
  const nxlinkConfig = sandbox ? { ...config.nxlink, baseUrl: sandbox.nxlink.url } : config.nxlink;
  const metrics = new GatewayMetrics();
  const { shared } = config;
  const redis = shared.redisUrl === undefined ? undefined : await connectRedis(shared.redisUrl, logger, metrics);
  const budget = (source: UpstreamSource) => {
    const maxRps = shared.budgets[source];
    return maxRps === undefined
      ? undefined
      : createRateBudget({
          source,
          maxRps,
          redis,
          keyPrefix: shared.redisKeyPrefix,
          replicas: shared.replicas,
          metrics,
        });
  };
  const cache = createSharedCache({
    ttlMs: shared.cacheTtlMs,
    maxEntries: shared.cacheMaxEntries,
    redis,
    keyPrefix: shared.redisKeyPrefix,
    metrics,
    logger,
  });
  const policy = (source: UpstreamSource) =>
    createUpstreamPolicy({
      source,
      ...config.resilience,
      budget: budget(source),
      onBreakerChange: (state) => {
        metrics.setBreakerState(source, state);
        const message = `${source} circuit breaker ${state}`;
        if (state === 'open') logger.warn({ source, state }, message);
        else logger.info({ source, state }, message);
      },
    });
  const onUnreadable = reportUnreadable(logger, metrics);
  // In-flight de-duplication of reads (upstream/read-sharing.ts): the calls it saved, counted.
  const onReadShared = (source: UpstreamSource) => metrics.sharedReads.inc({ source });
  const clientOptions = (source: UpstreamSource) => ({
    timeoutMs: config.upstreamTimeoutMs,
    policy: policy(source),
    onUnreadable,
    onReadShared,
  });
  const upstreams = {
    quentli: createQuentliClient(quentliConfig, clientOptions('QUENTLI')),
    nxlink: createNxlinkClient(nxlinkConfig, clientOptions('NXLINK')),
  };
  const fileDocuments =
    config.persistedDocumentsPath === undefined ? undefined : readPersistedDocuments(config.persistedDocumentsPath);
  const persistedDocuments: PersistedDocuments | undefined =
    redis !== undefined && shared.persistedDocumentsRedisKey !== undefined
      ? redisPersistedDocuments(redis, shared.persistedDocumentsRedisKey, logger, fileDocuments)
      : fileDocuments;
  const tracing =
    config.otlpEndpoint === undefined ? undefined : await startTracing(config.otlpEndpoint, config.serviceName);
  const gateway = createGateway({
    config,
    upstreams,
    logger,
    metrics,
    tracer: tracing?.tracer,
    persistedDocuments,
    cache,
    redisStatus: redis?.status,
    rateLimiter:
      config.rateLimitPerMinute === 0
        ? undefined
        : createClientRateLimiter({
            perMinute: config.rateLimitPerMinute,
            redis,
            keyPrefix: shared.redisKeyPrefix,
            replicas: shared.replicas,
          }),
  });
  let draining = false;
  const server = createServer(
    {
      headersTimeout: config.clientTimeouts.headersMs,
      requestTimeout: config.clientTimeouts.requestMs,
      keepAliveTimeout: config.clientTimeouts.keepAliveMs,
      // How often node:http looks for requests past those timeouts (30 s by default).
      connectionsCheckingInterval: Math.min(1_000, config.clientTimeouts.headersMs),
    },
    (request, response) => {
      if (draining) response.setHeader('connection', 'close');
      const admitted = admitBody(request, response);
      if (admitted === true) void gateway(request, response);
      else if (admitted !== false)
        void admitted.then((read) => {
          if (read) void gateway(request, response);
        });
    },
  );
  const connections = openConnections(server);
  await listen(server, config.host, config.port);
  const { port } = server.address() as AddressInfo;
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;

  return {
    url: `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${port}`,
    gateway,
    sandbox,
    close: async ({ drainMs = 0 } = {}) => {
      draining = true;
      gateway.drain();
      await connectionsEnded(connections, drainMs);
      await closeGracefully(server);
      await Promise.all([upstreams.quentli.close(), upstreams.nxlink.close(), tracing?.shutdown(), redis?.close()]);
      await sandbox?.close();
    },
  };
}

const SHUTDOWN_GRACE_MS = 10_000;

/** The server's open client connections, kept up to date as they open and close. */
function openConnections(server: Server): Set<Socket> {
  const sockets = new Set<Socket>();
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  return sockets;
}

/**
 * Resolves when no connection is left open, or after `ms`. While draining, every response closes
 * its connection, and node:http closes idle ones at their keep-alive timeout: so a gateway with
 * no clients stops at once, and one with clients once each has had its answer.
 */
async function connectionsEnded(sockets: ReadonlySet<Socket>, ms: number): Promise<void> {
  const until = Date.now() + ms;
  while (sockets.size > 0 && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 25));
}

/**
 * Stops accepting connections and lets requests in flight finish: connections are closed as
 * soon as they are idle (a keep-alive connection would otherwise hold the server open), and any
 * still busy after the grace period are cut.
 */
async function closeGracefully(server: Server): Promise<void> {
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  const sweep = setInterval(() => server.closeIdleConnections(), 50);
  const deadline = setTimeout(() => server.closeAllConnections(), SHUTDOWN_GRACE_MS);
  server.closeIdleConnections();
  try {
    await closed;
  } finally {
    clearInterval(sweep);
    clearTimeout(deadline);
  }
}

/**
 * Bodies are limited before Yoga reads them. With a Content-Length (what GraphQL clients send)
 * the length is checked and node:http never reads past it; a chunked body (streaming clients,
 * some proxies) is read here, counting bytes, and refused as soon as it passes the limit. The
 * whole request must arrive within GATEWAY_CLIENT_REQUEST_TIMEOUT_MS (node:http's requestTimeout).
 */
function admitBody(request: IncomingMessage, response: ServerResponse): boolean | Promise<boolean> {
  if (request.method !== 'POST' && request.method !== 'PUT' && request.method !== 'PATCH') return true;
  const length = request.headers['content-length'];
  if (length === undefined) return readChunkedBody(request, response);
  if (Number(length) <= QUERY_LIMITS.bodyBytes) return true;
  refuseBody(request, response);
  return false;
}

async function readChunkedBody(request: IncomingMessage, response: ServerResponse): Promise<boolean> {
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of request as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > QUERY_LIMITS.bodyBytes) {
        refuseBody(request, response);
        return false;
      }
      chunks.push(chunk);
    }
  } catch {
    return false; // the client went away mid-body: nobody to answer
  }
  // Yoga's node adapter takes a body that was read already from `request.body`.
  Object.assign(request, { body: Buffer.concat(chunks) });
  return true;
}

function refuseBody(request: IncomingMessage, response: ServerResponse): void {
  const message = `The request body is larger than ${QUERY_LIMITS.bodyBytes} bytes.`;
  response.writeHead(413, { 'content-type': 'application/json', connection: 'close' });
  response.end(JSON.stringify({ errors: [{ message, extensions: { code: 'BAD_REQUEST' } }] }));
  request.resume();
}
