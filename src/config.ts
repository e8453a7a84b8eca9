import { randomBytes } from 'node:crypto';
import { IANAZone } from 'luxon';
import { int64OrUndefined } from './upstream/ids.ts';
import type { QuentliEncoding } from './upstream/quentli/filter.ts';

export interface QuentliConfig {
  baseUrl: string;
  apiKey: string;
  /** Beyond the documented encoding only where an operator verified it (`npm run doctor`). */
  encoding?: QuentliEncoding;
}

export interface NxlinkConfig {
  baseUrl: string;
  accessKey: string;
  accessSecret: string;
  /** 64-bit tenant id as decimal digits. */
  tenantId: string;
  appKey: string;
  timeZone: string;
  /**
   * Most NXLink pages one request reads for a filter the gateway applies itself (`customers`
   * with `search`): past it the page ends early, with a cursor where the scan stopped.
   */
  scanPages?: number;
}

export interface ResilienceConfig {
  /** Extra attempts of a failed read (never of a write). */
  retries: number;
  /** Consecutive failed calls that open an upstream's circuit breaker. */
  breakerThreshold: number;
  /** How long an open breaker fails fast before it lets one probe call through. */
  breakerCooldownMs: number;
}

/** State shared by the replicas of one deployment (the README's section on several replicas). */
export interface SharedStateConfig {
  /** `redis://` or `rediss://` URL; in-process state only without one. May hold a password: see redactRedisUrl in shared/redis.ts. */
  redisUrl: string | undefined;
  /** Prefix of every Redis key and channel of this deployment. */
  redisKeyPrefix: string;
  /** Upstream requests per second allowed to all replicas together; undefined = unlimited. */
  budgets: { QUENTLI: number | undefined; NXLINK: number | undefined };
  /** Replicas sharing the budgets: while Redis is away each enforces budget / replicas alone. */
  replicas: number;
  /** How long a cached look-up (record by id, customer by phone) is reused; 0 turns the cache off. */
  cacheTtlMs: number;
  /** Entries of the in-process cache tier. */
  cacheMaxEntries: number;
  /** Name of a Redis hash of hash → document: the persisted-documents allow-list in Redis. */
  persistedDocumentsRedisKey: string | undefined;
}

export interface GatewayConfig {
  port: number;
  host: string;
  /** True when no upstream credentials were given: the embedded sandbox upstreams serve. */
  sandbox: boolean;
  quentli: QuentliConfig;
  nxlink: NxlinkConfig;
  apiKeys: string[];
  allowAnonymous: boolean;
  upstreamTimeoutMs: number;
  /** Overall deadline of one GraphQL request, retries and waits included. */
  requestTimeoutMs: number;
  resilience: ResilienceConfig;
  introspection: boolean;
  graphiql: boolean;
  /**
   * Limits on a client's HTTP connection, so that a slow or stalled client cannot hold one: the
   * headers must arrive within `headersMs`, the whole request (headers and body) within
   * `requestMs`, and an idle keep-alive connection is closed after `keepAliveMs`.
   */
  clientTimeouts: { headersMs: number; requestMs: number; keepAliveMs: number };
  /** Requests one client (gateway key, or address when anonymous) may send a minute; 0 = no limit. */
  rateLimitPerMinute: number;
  /** Browser origins allowed to call the gateway cross-origin (`*` for any); none by default. */
  corsOrigins: string[];
  /** Path of a trusted-documents file: when set, only its operations run. */
  persistedDocumentsPath: string | undefined;
  /** OTLP/HTTP endpoint for traces; tracing is off without one. */
  otlpEndpoint: string | undefined;
  serviceName: string;
  shared: SharedStateConfig;
}

export interface SandboxConfig {
  host: string;
  quentliPort: number;
  nxlinkPort: number;
  /** Customers seeded in each upstream. */
  customersPerSource: number;
  quentliApiKey: string;
  nxlink: Pick<NxlinkConfig, 'accessKey' | 'accessSecret' | 'tenantId' | 'appKey' | 'timeZone'>;
  /** Names of the credentials taken from the environment rather than the development defaults. */
  credentialsFromEnvironment: string[];
  /** Names of sandbox quirks (src/sandbox/quirks.ts), checked by the sandbox itself. */
  quirks: string[];
}

/** Every problem of the environment at once, each naming its variable; never a value. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

type Env = Readonly<Record<string, string | undefined>>;

const NXLINK_CREDENTIALS = ['NXLINK_ACCESS_KEY', 'NXLINK_ACCESS_SECRET', 'NXLINK_TENANT_ID', 'NXLINK_APP_KEY'] as const;

export function loadConfig(env: Env = process.env): GatewayConfig {
  const read = new EnvReader(env);
  const credentialsGiven = read.has('QUENTLI_API_KEY') || NXLINK_CREDENTIALS.some((name) => read.has(name));
  const host = read.string('HOST');
  const sandbox = !credentialsGiven && sandboxAllowed(env, host);
  if (!sandbox) {
    read.requireAll(
      ['QUENTLI_API_KEY', ...NXLINK_CREDENTIALS],
      credentialsGiven
        ? 'set QUENTLI_API_KEY and all NXLINK_* credentials, or none of them for sandbox mode'
        : 'sandbox mode (no credentials) runs only with NODE_ENV other than production and HOST unset or a loopback address',
    );
    // NXLink writes local times without an offset: a wrong zone shifts every one of them
    // silently, so outside the sandbox the zone is never assumed.
    if (!read.has('NXLINK_TIME_ZONE')) {
      read.problem(
        "NXLINK_TIME_ZONE is required outside sandbox mode: the IANA zone of the NXLink tenant's times, such as America/Mexico_City",
      );
    }
  }
  const credentials = sandbox ? sandboxCredentials() : undefined;

  const allowAnonymous = read.boolean('GATEWAY_ALLOW_ANONYMOUS', sandbox);
  const apiKeys = read.list('GATEWAY_API_KEYS');
  if (!sandbox && !allowAnonymous && apiKeys.length === 0) {
    read.problem('GATEWAY_API_KEYS is required outside sandbox mode (or set GATEWAY_ALLOW_ANONYMOUS=true explicitly)');
  }
  const introspection = read.boolean('GATEWAY_INTROSPECTION', sandbox);

  const config: GatewayConfig = {
    port: read.port('PORT', 4000),
    host: host ?? (sandbox ? '127.0.0.1' : '0.0.0.0'),
    sandbox,
    quentli: {
      baseUrl: read.url('QUENTLI_BASE_URL', 'https://api.quentli.com'),
      apiKey: credentials?.quentliApiKey ?? read.string('QUENTLI_API_KEY') ?? '',
      encoding: {
        maxListItems: read.boundedInt('QUENTLI_MAX_LIST_ITEMS', 20, 1, 100),
        tieBreakSortKey: read.boolean('QUENTLI_TIE_BREAK_SORT', false),
      },
    },
    nxlink: {
      baseUrl: read.url('NXLINK_BASE_URL', 'https://api-hk.nxlink.ai'),
      accessKey: credentials?.nxlink.accessKey ?? read.string('NXLINK_ACCESS_KEY') ?? '',
      accessSecret: credentials?.nxlink.accessSecret ?? read.string('NXLINK_ACCESS_SECRET') ?? '',
      tenantId: credentials?.nxlink.tenantId ?? read.digits('NXLINK_TENANT_ID') ?? '',
      appKey: credentials?.nxlink.appKey ?? read.string('NXLINK_APP_KEY') ?? '',
      timeZone: read.timeZone('NXLINK_TIME_ZONE', 'UTC'),
      scanPages: read.boundedInt('GATEWAY_SCAN_PAGES', 3, 1, 100),
    },
    apiKeys,
    allowAnonymous,
    upstreamTimeoutMs: read.positiveInt('UPSTREAM_TIMEOUT_MS', 10_000),
    requestTimeoutMs: read.positiveInt('GATEWAY_REQUEST_TIMEOUT_MS', 30_000),
    resilience: {
      retries: read.wholeNumber('UPSTREAM_RETRIES', 2),
      breakerThreshold: read.positiveInt('CIRCUIT_BREAKER_THRESHOLD', 5),
      breakerCooldownMs: read.positiveInt('CIRCUIT_BREAKER_COOLDOWN_MS', 5_000),
    },
    introspection,
    // GraphiQL is of little use without introspection: it follows it unless set.
    graphiql: read.boolean('GATEWAY_GRAPHIQL', introspection),
    rateLimitPerMinute: read.wholeNumber('GATEWAY_RATE_LIMIT', 1_200),
    clientTimeouts: {
      headersMs: read.positiveInt('GATEWAY_CLIENT_HEADERS_TIMEOUT_MS', 10_000),
      requestMs: read.positiveInt('GATEWAY_CLIENT_REQUEST_TIMEOUT_MS', 30_000),
      keepAliveMs: read.positiveInt('GATEWAY_CLIENT_KEEPALIVE_TIMEOUT_MS', 5_000),
    },
    corsOrigins: read.list('GATEWAY_CORS_ORIGINS'),
    persistedDocumentsPath: read.string('GATEWAY_PERSISTED_DOCUMENTS'),
    otlpEndpoint: read.has('OTEL_EXPORTER_OTLP_ENDPOINT') ? read.url('OTEL_EXPORTER_OTLP_ENDPOINT', '') : undefined,
    serviceName: read.string('OTEL_SERVICE_NAME') ?? 'customer-gateway',
    shared: {
      redisUrl: read.redisUrl('REDIS_URL'),
      redisKeyPrefix: read.string('REDIS_KEY_PREFIX') ?? 'customer-gateway:',
      budgets: {
        QUENTLI: read.optionalPositiveInt('QUENTLI_MAX_RPS'),
        NXLINK: read.optionalPositiveInt('NXLINK_MAX_RPS'),
      },
      replicas: read.positiveInt('GATEWAY_REPLICAS', 1),
      cacheTtlMs: read.wholeNumber('CACHE_TTL_MS', 5_000),
      cacheMaxEntries: read.positiveInt('CACHE_MAX_ENTRIES', 10_000),
      persistedDocumentsRedisKey: read.string('GATEWAY_PERSISTED_DOCUMENTS_REDIS_KEY'),
    },
  };
  if (config.clientTimeouts.headersMs > config.clientTimeouts.requestMs) {
    read.problem('GATEWAY_CLIENT_HEADERS_TIMEOUT_MS must not be above GATEWAY_CLIENT_REQUEST_TIMEOUT_MS');
  }
  if (config.shared.persistedDocumentsRedisKey !== undefined && config.shared.redisUrl === undefined) {
    read.problem('GATEWAY_PERSISTED_DOCUMENTS_REDIS_KEY needs REDIS_URL');
  }
  read.throwIfProblems();
  return config;
}

/**
 * The standalone sandbox (`npm run sandbox`) listens on fixed ports with fixed development
 * credentials, so that a gateway can be pointed at it by hand.
 */
export function loadSandboxConfig(env: Env = process.env): SandboxConfig {
  const read = new EnvReader(env);
  const config: SandboxConfig = {
    host: read.string('SANDBOX_HOST') ?? '127.0.0.1',
    quentliPort: read.port('SANDBOX_QUENTLI_PORT', 4010),
    nxlinkPort: read.port('SANDBOX_NXLINK_PORT', 4020),
    customersPerSource: read.positiveInt('SANDBOX_CUSTOMERS', 300),
    quentliApiKey: read.string('QUENTLI_API_KEY') ?? 'sk_sandbox_quentli',
    nxlink: {
      accessKey: read.string('NXLINK_ACCESS_KEY') ?? 'sandbox-access-key',
      accessSecret: read.string('NXLINK_ACCESS_SECRET') ?? 'sandbox-access-secret',
      tenantId: read.digits('NXLINK_TENANT_ID') ?? '9007199254740993',
      appKey: read.string('NXLINK_APP_KEY') ?? 'sandbox-app',
      timeZone: read.timeZone('NXLINK_TIME_ZONE', 'UTC'),
    },
    credentialsFromEnvironment: ['QUENTLI_API_KEY', ...NXLINK_CREDENTIALS].filter((name) => read.has(name)),
    quirks: read.list('SANDBOX_QUIRKS'),
  };
  read.throwIfProblems();
  return config;
}

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);

/**
 * Sandbox mode serves made-up customers to anyone, so it must never start by accident where a
 * production gateway was meant: a deployment that lost its secrets must fail, not serve the
 * sandbox. It needs all of: no upstream credentials, NODE_ENV other than `production`, and a
 * loopback HOST (or none, which then binds loopback).
 */
function sandboxAllowed(env: Env, host: string | undefined): boolean {
  if (env.NODE_ENV?.trim() === 'production') return false;
  return host === undefined || LOOPBACK_HOSTS.has(host) || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

/** Fresh random credentials for the embedded sandbox, so no fixed secret is ever trusted. */
function sandboxCredentials(): {
  quentliApiKey: string;
  nxlink: Omit<SandboxConfig['nxlink'], 'timeZone'>;
} {
  const token = () => randomBytes(18).toString('base64url');
  return {
    quentliApiKey: `sk_sandbox_${token()}`,
    nxlink: {
      accessKey: token(),
      accessSecret: token(),
      // Above 2^53 on purpose: the tenant id must survive as a 64-bit integer end to end.
      tenantId: '9007199254740993',
      appKey: token(),
    },
  };
}

class EnvReader {
  private readonly problems: string[] = [];

  constructor(private readonly env: Env) {}

  has(name: string): boolean {
    return this.string(name) !== undefined;
  }

  string(name: string): string | undefined {
    const value = this.env[name]?.trim();
    return value === undefined || value === '' ? undefined : value;
  }

  requireAll(names: readonly string[], hint: string): void {
    const missing = names.filter((name) => !this.has(name));
    if (missing.length > 0) {
      this.problem(`${missing.join(', ')} ${missing.length === 1 ? 'is' : 'are'} missing: ${hint}`);
    }
  }

  list(name: string): string[] {
    return (this.string(name) ?? '')
      .split(',')
      .map((item) => item.trim())
      .filter((item) => item !== '');
  }

  boolean(name: string, fallback: boolean): boolean {
    const value = this.string(name);
    if (value === undefined) return fallback;
    if (value === 'true' || value === 'false') return value === 'true';
    this.problem(`${name} must be "true" or "false"`);
    return fallback;
  }

  positiveInt(name: string, fallback: number): number {
    const value = this.string(name);
    if (value === undefined) return fallback;
    const parsed = Number(value);
    if (Number.isSafeInteger(parsed) && parsed > 0) return parsed;
    this.problem(`${name} must be a positive whole number`);
    return fallback;
  }

  boundedInt(name: string, fallback: number, min: number, max: number): number {
    const value = this.string(name);
    if (value === undefined) return fallback;
    const parsed = Number(value);
    if (Number.isSafeInteger(parsed) && parsed >= min && parsed <= max) return parsed;
    this.problem(`${name} must be a whole number from ${min} to ${max}`);
    return fallback;
  }

  optionalPositiveInt(name: string): number | undefined {
    return this.has(name) ? this.positiveInt(name, 1) : undefined;
  }

  /** A redis:// or rediss:// URL; the problem never quotes it (it may hold a password). */
  redisUrl(name: string): string | undefined {
    const value = this.string(name);
    if (value === undefined) return undefined;
    try {
      const url = new URL(value);
      if ((url.protocol === 'redis:' || url.protocol === 'rediss:') && url.hostname !== '') return value;
    } catch {
      // reported below
    }
    this.problem(`${name} must be a redis:// or rediss:// URL, like redis://:password@host:6379/0`);
    return undefined;
  }

  wholeNumber(name: string, fallback: number): number {
    const value = this.string(name);
    if (value === undefined) return fallback;
    const parsed = Number(value);
    if (Number.isSafeInteger(parsed) && parsed >= 0) return parsed;
    this.problem(`${name} must be a whole number, 0 or more`);
    return fallback;
  }

  port(name: string, fallback: number): number {
    const value = this.string(name);
    if (value === undefined) return fallback;
    const parsed = Number(value);
    if (Number.isInteger(parsed) && parsed >= 0 && parsed <= 65_535) return parsed;
    this.problem(`${name} must be a port number from 0 to 65535`);
    return fallback;
  }

  url(name: string, fallback: string): string {
    const value = this.string(name) ?? fallback;
    try {
      const url = new URL(value);
      if ((url.protocol === 'http:' || url.protocol === 'https:') && url.username === '') {
        return url.origin;
      }
    } catch {
      // reported below
    }
    this.problem(`${name} must be an http(s) origin without credentials, like https://host:port`);
    return fallback;
  }

  /** A signed 64-bit id (NXLink's): digits, at most 2^63 - 1. */
  digits(name: string): string | undefined {
    const value = this.string(name);
    if (value === undefined || int64OrUndefined(value) !== undefined) return value;
    this.problem(`${name} must be a whole number from 0 to 9223372036854775807 (NXLink's 64-bit tenant id)`);
    return undefined;
  }

  timeZone(name: string, fallback: string): string {
    const value = this.string(name) ?? fallback;
    if (IANAZone.isValidZone(value)) return value;
    this.problem(`${name} must be an IANA time zone such as UTC or America/Mexico_City`);
    return fallback;
  }

  problem(message: string): void {
    this.problems.push(message);
  }

  throwIfProblems(): void {
    if (this.problems.length > 0) throw new ConfigError(this.problems);
  }
}
