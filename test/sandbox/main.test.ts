import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { connect, createServer } from 'node:net';
import { describe, expect, it } from 'vitest';

const root = new URL('../..', import.meta.url).pathname;

/**
 * `npm run sandbox` as a user runs it, on ephemeral ports (or those given); collects what it
 * prints. Signals go to the npm process, as a terminal or a process manager sends them.
 */
function runSandbox(
  env: Record<string, string> = {},
  options: { ownGroup?: boolean } = {},
): {
  exited: Promise<number | null>;
  printed: () => string;
  ready: Promise<void>;
  stop: (signal?: NodeJS.Signals) => void;
} {
  // The build ran once before the specs (presandbox builds dist/ on every run otherwise).
  const child = spawn('npm', ['run', 'sandbox', '--ignore-scripts'], {
    cwd: root,
    env: { ...process.env, SANDBOX_QUENTLI_PORT: '0', SANDBOX_NXLINK_PORT: '0', SANDBOX_CUSTOMERS: '40', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    // A process group of its own, as a terminal gives a command: Ctrl-C signals the whole group.
    detached: options.ownGroup ?? false,
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
  // 'close', not 'exit': by then everything the process wrote has been read.
  const exited = once(child, 'close').then(([code]) => code as number | null);
  return {
    exited,
    printed: () => output,
    ready,
    stop: (signal = 'SIGTERM') => void (options.ownGroup ? process.kill(-child.pid!, signal) : child.kill(signal)),
  };
}

async function listening(url: string): Promise<boolean> {
  const { hostname, port } = new URL(url);
  const socket = connect(Number(port), hostname);
  try {
    await once(socket, 'connect');
    return true;
  } catch {
    return false;
  } finally {
    socket.destroy();
  }
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
    expect(await listening(env.QUENTLI_BASE_URL!)).toBe(false);
    expect(await listening(env.NXLINK_BASE_URL!)).toBe(false);
  });

  it('stops on SIGINT sent to the npm process alone (`kill -INT`)', async () => {
    const sandbox = runSandbox();
    await sandbox.ready;
    const quentli = /export QUENTLI_BASE_URL=(\S+)/.exec(sandbox.printed())?.[1] ?? '';
    sandbox.stop('SIGINT');
    expect(await sandbox.exited).toBe(0);
    expect(sandbox.printed()).toMatch(/SIGINT: closing the sandbox upstreams/);
    expect(await listening(quentli)).toBe(false);
  });

  it('stops once, cleanly, on Ctrl-C, which signals npm and node alike', async () => {
    const sandbox = runSandbox({}, { ownGroup: true });
    await sandbox.ready;
    const quentli = /export QUENTLI_BASE_URL=(\S+)/.exec(sandbox.printed())?.[1] ?? '';
    sandbox.stop('SIGINT');
    expect(await sandbox.exited).toBe(0);
    expect(sandbox.printed().match(/SIGINT: closing the sandbox upstreams/g)).toHaveLength(1);
    expect(sandbox.printed()).not.toMatch(/Could not close cleanly/);
    expect(await listening(quentli)).toBe(false);
  });

  it('says in one line that a port is in use, without a stack trace', async () => {
    const taken = createServer().listen(0, '127.0.0.1');
    await once(taken, 'listening');
    const port = (taken.address() as { port: number }).port;
    try {
      const sandbox = runSandbox({ SANDBOX_QUENTLI_PORT: String(port) });
      await sandbox.ready.catch(() => undefined);
      expect(await sandbox.exited).toBe(1);
      const lines = sandbox
        .printed()
        .split('\n')
        .filter((line) => line.includes(String(port)));
      expect(lines).toEqual([
        `The sandbox cannot listen on 127.0.0.1:${port}: the port is in use (another gateway or sandbox still running?). Stop that process, or set SANDBOX_QUENTLI_PORT or SANDBOX_NXLINK_PORT to a free port.`,
      ]);
      expect(sandbox.printed()).not.toMatch(/\n\s+at /);
    } finally {
      taken.close();
    }
  });
});
