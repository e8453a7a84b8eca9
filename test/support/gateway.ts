import { startGateway } from '../../src/app.ts';
import { loadConfig, type GatewayConfig } from '../../src/config.ts';
import { createLogger } from '../../src/observability/logger.ts';
import type { Sandbox } from '../../src/sandbox/index.ts';

export interface GraphQLResponse<Data = Record<string, unknown>> {
  status: number;
  data?: Data | null;
  errors?: {
    message: string;
    locations?: { line: number; column: number }[];
    path?: (string | number)[];
    extensions?: Record<string, unknown>;
  }[];
}

export interface TestGateway {
  url: string;
  config: GatewayConfig;
  sandbox: Sandbox;
  /** Every log line the gateway wrote. */
  logs: string[];
  /** Every response body the gateway sent through `graphql`. */
  responses: string[];
  // biome-ignore lint/suspicious/noExplicitAny: each test names the shape it reads, or reads it loosely
  graphql<Data = any>(
    query: string,
    variables?: Record<string, unknown>,
    headers?: Record<string, string>,
  ): Promise<GraphQLResponse<Data>>;
  /** Clears the request logs of both sandbox upstreams. */
  resetRequests(): void;
  close(): Promise<void>;
}

/**
 * A gateway on an ephemeral port in sandbox mode: real HTTP to it, real HTTP from it to the
 * sandbox upstreams. NXLink writes its times in Mexico City, so time-zone handling is exercised.
 */
export async function startTestGateway(
  env: Record<string, string> = {},
  options: { upstreamsOf?: TestGateway; sandbox?: Sandbox } = {},
): Promise<TestGateway> {
  const primary = options.upstreamsOf;
  // A second replica: the same sandbox upstreams and credentials as `primary`, configured as a
  // production gateway would be (base URLs and keys), not a sandbox of its own.
  const upstreamEnv: Record<string, string> =
    primary === undefined
      ? {}
      : {
          HOST: '127.0.0.1',
          GATEWAY_ALLOW_ANONYMOUS: 'true',
          QUENTLI_BASE_URL: primary.sandbox.quentli.url,
          QUENTLI_API_KEY: primary.config.quentli.apiKey,
          NXLINK_BASE_URL: primary.sandbox.nxlink.url,
          NXLINK_ACCESS_KEY: primary.config.nxlink.accessKey,
          NXLINK_ACCESS_SECRET: primary.config.nxlink.accessSecret,
          NXLINK_TENANT_ID: primary.config.nxlink.tenantId,
          NXLINK_APP_KEY: primary.config.nxlink.appKey,
        };
  // The shared cache is off unless a test turns it on: most tests count the upstream calls of
  // each request, which a look-up cached by an earlier test would hide.
  const config = loadConfig({
    PORT: '0',
    NXLINK_TIME_ZONE: 'America/Mexico_City',
    CACHE_TTL_MS: '0',
    ...upstreamEnv,
    ...env,
  });
  const logs: string[] = [];
  const logger = createLogger({
    level: 'debug',
    destination: { write: (line: string) => logs.push(line) } as unknown as NodeJS.WritableStream,
  });
  const running = await startGateway(config, logger);
  const sandbox = running.sandbox ?? primary?.sandbox ?? options.sandbox;
  if (sandbox === undefined) throw new Error('the test gateway runs in sandbox mode, or on the sandbox of another');
  const responses: string[] = [];
  return {
    url: running.url,
    config,
    sandbox,
    logs,
    responses,
    graphql: async (query, variables, headers) => {
      const response = await fetch(`${running.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json', ...headers },
        body: JSON.stringify({ query, variables }),
      });
      const text = await response.text();
      responses.push(text);
      return { status: response.status, ...(JSON.parse(text) as object) };
    },
    resetRequests: () => {
      sandbox.quentli.resetRequests();
      sandbox.nxlink.resetRequests();
    },
    close: async () => {
      await running.close();
      assertNoSecretLeaked(config, [...responses, ...logs]);
    },
  };
}

/**
 * Every gateway of the suite ends with this check: no response and no log line holds a
 * configured secret (upstream credentials, gateway keys).
 */
function assertNoSecretLeaked(config: GatewayConfig, texts: string[]): void {
  const secrets = [
    config.quentli.apiKey,
    config.nxlink.accessKey,
    config.nxlink.accessSecret,
    config.nxlink.appKey,
    ...config.apiKeys,
    redisPassword(config.shared.redisUrl),
  ].filter((secret) => secret.length >= 6);
  for (const text of texts) {
    for (const secret of secrets) {
      if (text.includes(secret)) throw new Error(`a configured secret leaked into: ${text.slice(0, 200)}`);
    }
  }
}

function redisPassword(url: string | undefined): string {
  if (url === undefined) return '';
  try {
    return decodeURIComponent(new URL(url).password);
  } catch {
    return '';
  }
}
