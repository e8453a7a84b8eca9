import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.ts';
import { redactRedisUrl } from '../src/shared/redis.ts';

const production = {
  QUENTLI_API_KEY: 'sk_live_secret_quentli',
  NXLINK_ACCESS_KEY: 'nx-access',
  NXLINK_ACCESS_SECRET: 'nx-secret-value',
  NXLINK_TENANT_ID: '1021110718827683840',
  NXLINK_APP_KEY: 'app-key-value',
  NXLINK_TIME_ZONE: 'America/Mexico_City',
  GATEWAY_API_KEYS: 'key-one, key-two',
};

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe('configuration', () => {
  it('runs in sandbox mode with no upstream credentials, on loopback, open to anonymous clients', () => {
    const config = loadConfig({});
    expect(config.sandbox).toBe(true);
    expect(config.host).toBe('127.0.0.1');
    expect(config.port).toBe(4000);
    expect(config.allowAnonymous).toBe(true);
    expect(config.upstreamTimeoutMs).toBe(10_000);
    expect(config.nxlink.timeZone).toBe('UTC');
  });

  it('makes fresh sandbox credentials each time, so no fixed secret is ever trusted', () => {
    expect(loadConfig({}).quentli.apiKey).not.toBe(loadConfig({}).quentli.apiKey);
  });

  it('reads every variable of the contract', () => {
    const config = loadConfig({
      ...production,
      PORT: '8080',
      HOST: '10.0.0.1',
      QUENTLI_BASE_URL: 'http://quentli.internal:9000/',
      NXLINK_TIME_ZONE: 'America/Mexico_City',
      UPSTREAM_TIMEOUT_MS: '2500',
    });
    expect(config).toMatchObject({
      port: 8080,
      host: '10.0.0.1',
      sandbox: false,
      quentli: { baseUrl: 'http://quentli.internal:9000', apiKey: 'sk_live_secret_quentli' },
      nxlink: { baseUrl: 'https://api-hk.nxlink.ai', tenantId: '1021110718827683840', timeZone: 'America/Mexico_City' },
      apiKeys: ['key-one', 'key-two'],
      allowAnonymous: false,
      upstreamTimeoutMs: 2500,
    });
  });

  it('requires NXLINK_TIME_ZONE outside sandbox mode: a wrong zone shifts every NXLink time silently', () => {
    const { NXLINK_TIME_ZONE: _zone, ...withoutZone } = production;
    expect(problemsOf(withoutZone)).toEqual([
      expect.stringMatching(/^NXLINK_TIME_ZONE is required outside sandbox mode/),
    ]);
  });

  it('sends only documented encodings unless an operator turns more on', () => {
    expect(loadConfig(production).quentli.encoding).toEqual({ maxListItems: 20, tieBreakSortKey: false });
    expect(loadConfig(production).nxlink.scanPages).toBe(3);
    const verified = loadConfig({
      ...production,
      QUENTLI_MAX_LIST_ITEMS: '100',
      QUENTLI_TIE_BREAK_SORT: 'true',
      GATEWAY_SCAN_PAGES: '10',
    });
    expect(verified.quentli.encoding).toEqual({ maxListItems: 100, tieBreakSortKey: true });
    expect(verified.nxlink.scanPages).toBe(10);
    expect(problemsOf({ ...production, QUENTLI_MAX_LIST_ITEMS: '101', GATEWAY_SCAN_PAGES: '0' })).toEqual([
      'QUENTLI_MAX_LIST_ITEMS must be a whole number from 1 to 100',
      'GATEWAY_SCAN_PAGES must be a whole number from 1 to 100',
    ]);
  });

  it('binds every interface outside sandbox mode', () => {
    expect(loadConfig(production).host).toBe('0.0.0.0');
  });

  it('names each missing variable of a partial configuration', () => {
    const problems = problemsOf({ QUENTLI_API_KEY: 'sk_live_x', NXLINK_ACCESS_KEY: 'k' });
    expect(problems.join('\n')).toMatch(/NXLINK_ACCESS_SECRET, NXLINK_TENANT_ID, NXLINK_APP_KEY are missing/);
  });

  it('refuses to start without gateway keys outside sandbox mode unless anonymous access is explicit', () => {
    const { GATEWAY_API_KEYS: _keys, ...withoutKeys } = production;
    expect(problemsOf(withoutKeys).join('\n')).toMatch(/GATEWAY_API_KEYS is required/);
    expect(loadConfig({ ...withoutKeys, GATEWAY_ALLOW_ANONYMOUS: 'true' }).allowAnonymous).toBe(true);
  });

  it('reports every malformed variable at once, by name', () => {
    const problems = problemsOf({
      ...production,
      PORT: 'eighty',
      UPSTREAM_TIMEOUT_MS: '-5',
      NXLINK_TIME_ZONE: 'Mars/Olympus_Mons',
      NXLINK_TENANT_ID: '12ab',
      QUENTLI_BASE_URL: 'https://user:password@quentli.example',
      GATEWAY_ALLOW_ANONYMOUS: 'yes',
    });
    expect(problems).toHaveLength(6);
    for (const name of [
      'PORT',
      'UPSTREAM_TIMEOUT_MS',
      'NXLINK_TIME_ZONE',
      'NXLINK_TENANT_ID',
      'QUENTLI_BASE_URL',
      'GATEWAY_ALLOW_ANONYMOUS',
    ]) {
      expect(problems.some((problem) => problem.startsWith(name))).toBe(true);
    }
  });

  it('never repeats a value in its messages', () => {
    const problems = problemsOf({
      ...production,
      QUENTLI_BASE_URL: 'https://user:hunter2@quentli.example',
      NXLINK_TENANT_ID: 'secret-tenant',
    });
    expect(problems.join('\n')).not.toMatch(/hunter2|secret-tenant|sk_live_secret_quentli|nx-secret-value/);
  });

  it('shares nothing by default: no Redis, no budgets, a short in-process cache', () => {
    expect(loadConfig({}).shared).toEqual({
      redisUrl: undefined,
      redisKeyPrefix: 'customer-gateway:',
      budgets: { QUENTLI: undefined, NXLINK: undefined },
      replicas: 1,
      cacheTtlMs: 5_000,
      cacheMaxEntries: 10_000,
      persistedDocumentsRedisKey: undefined,
    });
  });

  it('reads Redis, the upstream budgets and the cache settings', () => {
    const shared = loadConfig({
      REDIS_URL: 'redis://:s3cret@redis:6379/2',
      REDIS_KEY_PREFIX: 'prod:',
      QUENTLI_MAX_RPS: '20',
      NXLINK_MAX_RPS: '5',
      GATEWAY_REPLICAS: '3',
      CACHE_TTL_MS: '0',
      CACHE_MAX_ENTRIES: '500',
      GATEWAY_PERSISTED_DOCUMENTS_REDIS_KEY: 'gateway:documents',
    }).shared;
    expect(shared).toEqual({
      redisUrl: 'redis://:s3cret@redis:6379/2',
      redisKeyPrefix: 'prod:',
      budgets: { QUENTLI: 20, NXLINK: 5 },
      replicas: 3,
      cacheTtlMs: 0,
      cacheMaxEntries: 500,
      persistedDocumentsRedisKey: 'gateway:documents',
    });
  });

  it('names each malformed shared-state variable without quoting a Redis URL', () => {
    const problems = problemsOf({
      REDIS_URL: 'http://:hunter22@redis:6379',
      QUENTLI_MAX_RPS: '0',
      NXLINK_MAX_RPS: 'fast',
      CACHE_TTL_MS: '-1',
      GATEWAY_REPLICAS: '1.5',
    });
    expect(problems).toEqual([
      expect.stringMatching(/^REDIS_URL must be a redis:\/\/ or rediss:\/\/ URL/),
      expect.stringMatching(/^QUENTLI_MAX_RPS must be a positive whole number/),
      expect.stringMatching(/^NXLINK_MAX_RPS must be a positive whole number/),
      expect.stringMatching(/^GATEWAY_REPLICAS must be a positive whole number/),
      expect.stringMatching(/^CACHE_TTL_MS must be a whole number/),
    ]);
    expect(problems.join('\n')).not.toContain('hunter22');
    expect(problemsOf({ GATEWAY_PERSISTED_DOCUMENTS_REDIS_KEY: 'docs' })).toEqual([
      'GATEWAY_PERSISTED_DOCUMENTS_REDIS_KEY needs REDIS_URL',
    ]);
  });

  it('redacts the credentials of a Redis URL for log lines', () => {
    expect(redactRedisUrl('redis://:s3cret@redis:6379/0')).toBe('redis://:***@redis:6379/0');
    expect(redactRedisUrl('rediss://app:s3cret@redis:6380')).toBe('rediss://***:***@redis:6380');
    expect(redactRedisUrl('redis://redis:6379')).toBe('redis://redis:6379');
  });
});

describe('configuration fails closed', () => {
  it.each([
    ['NODE_ENV=production', { NODE_ENV: 'production' }],
    ['a HOST that is not loopback', { HOST: '0.0.0.0' }],
    ['a public HOST', { HOST: '203.0.113.7' }],
  ])('refuses to start the sandbox without credentials under %s, naming what is missing', (_case, env) => {
    const problems = problemsOf(env);
    expect(problems).toHaveLength(3);
    expect(problems[0]).toMatch(
      /^QUENTLI_API_KEY, NXLINK_ACCESS_KEY, NXLINK_ACCESS_SECRET, NXLINK_TENANT_ID, NXLINK_APP_KEY are missing: sandbox mode/,
    );
    expect(problems[1]).toMatch(/^NXLINK_TIME_ZONE is required outside sandbox mode/);
    expect(problems[2]).toMatch(/^GATEWAY_API_KEYS is required/);
  });

  it.each([['127.0.0.1'], ['127.0.0.2'], ['localhost'], ['::1']])(
    'allows the sandbox on the loopback HOST %s',
    (host) => {
      expect(loadConfig({ HOST: host }).sandbox).toBe(true);
    },
  );

  it('turns introspection and GraphiQL off outside sandbox mode unless set, and on in sandbox mode', () => {
    expect(loadConfig(production)).toMatchObject({ introspection: false, graphiql: false });
    expect(loadConfig({ ...production, GATEWAY_INTROSPECTION: 'true' })).toMatchObject({
      introspection: true,
      graphiql: true,
    });
    expect(loadConfig({ ...production, GATEWAY_INTROSPECTION: 'true', GATEWAY_GRAPHIQL: 'false' })).toMatchObject({
      graphiql: false,
    });
    expect(loadConfig({})).toMatchObject({ introspection: true, graphiql: true });
  });

  it('refuses a tenant id above 2^63 - 1, which NXLink could never hold', () => {
    expect(loadConfig({ ...production, NXLINK_TENANT_ID: '9223372036854775807' }).nxlink.tenantId).toBe(
      '9223372036854775807',
    );
    expect(problemsOf({ ...production, NXLINK_TENANT_ID: '9223372036854775808' })).toEqual([
      "NXLINK_TENANT_ID must be a whole number from 0 to 9223372036854775807 (NXLink's 64-bit tenant id)",
    ]);
  });

  it('limits each client to 1200 requests a minute by default; 0 turns the limit off', () => {
    expect(loadConfig(production).rateLimitPerMinute).toBe(1_200);
    expect(loadConfig({ ...production, GATEWAY_RATE_LIMIT: '0' }).rateLimitPerMinute).toBe(0);
  });

  it('sets client connection timeouts, and refuses a headers timeout above the request timeout', () => {
    expect(loadConfig(production).clientTimeouts).toEqual({ headersMs: 10_000, requestMs: 30_000, keepAliveMs: 5_000 });
    expect(problemsOf({ ...production, GATEWAY_CLIENT_HEADERS_TIMEOUT_MS: '40000' })).toEqual([
      'GATEWAY_CLIENT_HEADERS_TIMEOUT_MS must not be above GATEWAY_CLIENT_REQUEST_TIMEOUT_MS',
    ]);
  });
});
