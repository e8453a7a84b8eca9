import { startGateway } from '../../src/app.ts';
import { loadConfig, type GatewayConfig } from '../../src/config.ts';
import { createLogger } from '../../src/observability/logger.ts';
import type { Sandbox } from '../../src/sandbox/index.ts';

export interface GraphQLResponse<Data = Record<string, unknown>> {
  status: number;
  data?: Data | null;
  errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, unknown> }[];
}

export interface TestGateway {
  url: string;
  config: GatewayConfig;
  sandbox: Sandbox;
  /** Every log line the gateway wrote. */
  logs: string[];
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
export async function startTestGateway(env: Record<string, string> = {}): Promise<TestGateway> {
  const config = loadConfig({ PORT: '0', NXLINK_TIME_ZONE: 'America/Mexico_City', ...env });
  const logs: string[] = [];
  const logger = createLogger({
    level: 'debug',
    destination: { write: (line: string) => logs.push(line) } as unknown as NodeJS.WritableStream,
  });
  const running = await startGateway(config, logger);
  const sandbox = running.sandbox;
  if (sandbox === undefined) throw new Error('the test gateway runs in sandbox mode');
  return {
    url: running.url,
    config,
    sandbox,
    logs,
    graphql: async (query, variables, headers) => {
      const response = await fetch(`${running.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json', ...headers },
        body: JSON.stringify({ query, variables }),
      });
      return { status: response.status, ...((await response.json()) as object) };
    },
    resetRequests: () => {
      sandbox.quentli.resetRequests();
      sandbox.nxlink.resetRequests();
    },
    close: () => running.close(),
  };
}
