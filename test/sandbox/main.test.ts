import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { describe, expect, it } from 'vitest';

/** Starts `npm run sandbox`'s entry point on ephemeral ports and collects what it prints. */
function runSandbox(): { exited: Promise<number | null>; printed: () => string; ready: Promise<void>; stop: () => void } {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/sandbox/main.ts'], {
    env: { ...process.env, SANDBOX_QUENTLI_PORT: '0', SANDBOX_NXLINK_PORT: '0', SANDBOX_CUSTOMERS: '40' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const ready = new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('Ctrl-C stops.')) resolve();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.once('exit', () => reject(new Error(`The sandbox exited early:\n${output}`)));
  });
  const exited = once(child, 'exit').then(([code]) => code as number | null);
  return { exited, printed: () => output, ready, stop: () => child.kill('SIGTERM') };
}

describe('npm run sandbox', () => {
  it('prints working URLs and the environment for the gateway, and closes cleanly on SIGTERM', async () => {
    const sandbox = runSandbox();
    await sandbox.ready;
    const env = Object.fromEntries([...sandbox.printed().matchAll(/export (\w+)=(\S+)/g)].map((m) => [m[1], m[2]]));
    expect(Object.keys(env)).toEqual([
      'QUENTLI_BASE_URL',
      'QUENTLI_API_KEY',
      'NXLINK_BASE_URL',
      'NXLINK_ACCESS_KEY',
      'NXLINK_ACCESS_SECRET',
      'NXLINK_TENANT_ID',
      'NXLINK_APP_KEY',
      'NXLINK_TIME_ZONE',
      'GATEWAY_ALLOW_ANONYMOUS',
    ]);
    const response = await fetch(`${env.QUENTLI_BASE_URL}/v1/customers?limit=1`, {
      headers: { authorization: `Bearer ${env.QUENTLI_API_KEY}` },
    });
    expect(response.status).toBe(200);
    const requests = await fetch(`${env.NXLINK_BASE_URL}/__sandbox/requests`);
    expect(await requests.json()).toEqual({ total: 0, counts: {} });
    sandbox.stop();
    expect(await sandbox.exited).toBe(0);
  });
});
