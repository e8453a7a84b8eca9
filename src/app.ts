import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { GatewayConfig } from './config.ts';
import type { Logger } from './observability/logger.ts';
import { startSandbox, type Sandbox } from './sandbox/index.ts';
import { createNxlinkClient } from './upstream/nxlink/client.ts';
import { createQuentliClient } from './upstream/quentli/client.ts';
import { createGateway, type Gateway } from './yoga.ts';

export interface RunningGateway {
  /** Origin the gateway listens on, e.g. http://127.0.0.1:4000 */
  url: string;
  gateway: Gateway;
  /** The embedded sandbox upstreams, in sandbox mode. */
  sandbox: Sandbox | undefined;
  /** Stops taking requests, lets those in flight finish, then closes the upstream pools. */
  close(): Promise<void>;
}

/** Starts the gateway (and, in sandbox mode, the sandbox upstreams it points at). */
export async function startGateway(config: GatewayConfig, logger: Logger): Promise<RunningGateway> {
  const sandbox = config.sandbox
    ? await startSandbox({ host: '127.0.0.1', quentliApiKey: config.quentli.apiKey, nxlink: config.nxlink })
    : undefined;
  const quentliConfig = sandbox ? { ...config.quentli, baseUrl: sandbox.quentli.url } : config.quentli;
  const nxlinkConfig = sandbox ? { ...config.nxlink, baseUrl: sandbox.nxlink.url } : config.nxlink;
  const upstreams = {
    quentli: createQuentliClient(quentliConfig, { timeoutMs: config.upstreamTimeoutMs }),
    nxlink: createNxlinkClient(nxlinkConfig, { timeoutMs: config.upstreamTimeoutMs }),
  };
  const gateway = createGateway({ config, upstreams, logger });
  const server = createServer(gateway);
  await listen(server, config.port, config.host);
  const { port } = server.address() as AddressInfo;
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;

  return {
    url: `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${port}`,
    gateway,
    sandbox,
    close: async () => {
      gateway.drain();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      });
      await Promise.all([upstreams.quentli.close(), upstreams.nxlink.close()]);
      await sandbox?.close();
    },
  };
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}
