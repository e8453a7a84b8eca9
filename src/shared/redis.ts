import type { Redis } from 'ioredis';
import type { Logger } from '../observability/logger.ts';
import type { GatewayMetrics } from '../observability/metrics.ts';

/** No Redis command may hold a GraphQL request longer than this. */
export const REDIS_COMMAND_TIMEOUT_MS = 250;
/** How long start-up waits for the first connection before serving with in-process state. */
const FIRST_CONNECT_WAIT_MS = 1_500;

export type RedisStatus = 'up' | 'down';

/**
 * The connection to the shared Redis. Never required to serve: while it is down every command
 * fails at once (no offline queue) and callers fall back to in-process state; ioredis
 * reconnects on its own, with a capped backoff, forever.
 */
export interface SharedRedis {
  readonly client: Redis;
  status(): RedisStatus;
  /** Told on every (re)connection: state kept in-process meanwhile may be stale now. */
  onReconnect(listener: () => void): void;
  close(): Promise<void>;
}

export async function connectRedis(url: string, logger: Logger, metrics: GatewayMetrics): Promise<SharedRedis> {
  const where = redactRedisUrl(url);
  // Loaded only when REDIS_URL is set: a gateway without Redis never pays for the client.
  const { Redis } = await import('ioredis');
  const client = new Redis(url, {
    enableOfflineQueue: false,
    commandTimeout: REDIS_COMMAND_TIMEOUT_MS,
    connectTimeout: 1_000,
    maxRetriesPerRequest: 0,
    retryStrategy: (times) => Math.min(100 * times, 2_000),
    // Connection names and errors are logged by us, with the URL redacted.
    showFriendlyErrorStack: false,
  });
  let status: RedisStatus = 'down';
  let everConnected = false;
  let warned = false;
  const reconnectListeners: (() => void)[] = [];
  metrics.trackRedis(false);

  client.on('ready', () => {
    status = 'up';
    metrics.trackRedis(true);
    if (!everConnected)
      logger.info({ redis: where }, 'Redis connected: replicas share budgets, cache and invalidations');
    else logger.info({ redis: where }, 'Redis is back: shared state resumes');
    everConnected = true;
    warned = false;
    for (const listener of reconnectListeners) listener();
  });
  const down = (error?: Error) => {
    status = 'down';
    metrics.trackRedis(false);
    if (warned) return;
    warned = true;
    logger.warn(
      { redis: where, error: error === undefined ? undefined : describe(error) },
      'Redis is unreachable: serving with in-process state (budgets per replica, local cache) until it returns',
    );
  };
  // An 'error' without a listener would crash the process; each one is a symptom of being down.
  client.on('error', (error: Error) => down(error));
  client.on('close', () => {
    if (status === 'up') down();
  });

  await new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, FIRST_CONNECT_WAIT_MS);
    client.once('ready', () => {
      clearTimeout(timer);
      resolve();
    });
  });

  return {
    client,
    status: () => status,
    onReconnect: (listener) => void reconnectListeners.push(listener),
    close: async () => {
      client.disconnect(false);
    },
  };
}

/** An error of the Redis client without anything that could hold a credential. */
function describe(error: Error): string {
  const code = (error as Error & { code?: unknown }).code;
  return typeof code === 'string' ? code : error.name;
}

/** A Redis URL fit for a log line: any user name and password replaced by `***`. */
export function redactRedisUrl(value: string): string {
  try {
    const url = new URL(value);
    if (url.username !== '' || url.password !== '') {
      url.username = url.username === '' ? '' : '***';
      url.password = '***';
    }
    return url.toString();
  } catch {
    return 'redis://(unparsable URL)';
  }
}
