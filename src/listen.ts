import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * Starts listening and resolves with the bound port (the one chosen, for port 0); rejects with
 * the error of a failed listen (EADDRINUSE, EACCES), which startup-failure.ts words. Used by the
 * gateway and the sandbox upstreams alike.
 */
export function listen(server: Server, host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host, port }, () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}
