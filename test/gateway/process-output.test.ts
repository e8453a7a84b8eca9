import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';

const root = new URL('../..', import.meta.url).pathname;
const children: ChildProcess[] = [];

afterEach(() => {
  for (const child of children.splice(0)) child.kill('SIGKILL');
});

interface Started {
  child: ChildProcess;
  stdout: string[];
  stderr: string[];
}

/**
 * Runs a compiled entry point as production does (node on dist/, built once before the specs by
 * test/support/build.ts), and resolves once `ready` matches its output.
 */
function start(
  entry: string,
  env: Record<string, string>,
  ready: RegExp,
): Promise<Started & { match: RegExpExecArray }> {
  const child = spawn(process.execPath, [entry], {
    cwd: root,
    env: { PATH: process.env.PATH, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  const started: Started = { child, stdout: [], stderr: [] };
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => started.stderr.push(chunk));
  return new Promise((resolve, reject) => {
    child.once('exit', (code) =>
      reject(new Error(`${entry} exited with ${code}: ${started.stdout.join('')}${started.stderr.join('')}`)),
    );
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      started.stdout.push(chunk);
      const match = ready.exec(started.stdout.join(''));
      if (match !== null) resolve({ ...started, match });
    });
  });
}

describe('what the processes print', () => {
  it('writes nothing to stderr, also for a request with dozens of upstream calls (no MaxListenersExceededWarning)', async () => {
    const server = await start('dist/server.js', { PORT: '0' }, /Gateway ready: GraphiQL at (http:\/\/\S+)\/graphql/);
    const query =
      '{ customers(first: 50) { edges { node { id ... on NxlinkCustomer { quentliCustomer { id } } ... on QuentliCustomer { nxlinkProfile { id } } } } } }';
    const response = await fetch(`${server.match[1]}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query }),
    });
    const body = (await response.json()) as { data: { customers: { edges: unknown[] } } };
    expect(body.data.customers.edges).toHaveLength(50);
    // The log is written asynchronously: wait for the request's line.
    await expect.poll(() => server.stdout.join('').includes('"msg":"request"'), { timeout: 5_000 }).toBe(true);
    const upstreamCalls = server.stdout
      .join('')
      .split('\n')
      .filter((line) => line.includes('"msg":"request"'))
      .map((line) => JSON.parse(line) as { upstreams?: Record<string, { calls: number }> })
      .flatMap((line) => Object.values(line.upstreams ?? {}))
      .reduce((sum, timing) => sum + timing.calls, 0);
    expect(upstreamCalls).toBeGreaterThan(10);
    expect(server.stderr.join('')).toBe('');
  });

  it('does not speak of GraphiQL when GraphiQL is off', async () => {
    const server = await start('dist/server.js', { PORT: '0', GATEWAY_GRAPHIQL: 'false' }, /Gateway ready[^"]*/);
    expect(server.match[0]).toMatch(/^Gateway ready at http:\/\/127\.0\.0\.1:\d+\/graphql$/);
  });

  it('`npm run sandbox` names the credentials taken from the environment without printing them', async () => {
    const secret = 'sk_live_from_the_environment_7f6e5d';
    const sandbox = await start(
      'dist/sandbox/main.js',
      {
        SANDBOX_QUENTLI_PORT: '0',
        SANDBOX_NXLINK_PORT: '0',
        QUENTLI_API_KEY: secret,
        NXLINK_ACCESS_SECRET: `${secret}-nx`,
      },
      /Ctrl-C stops\./,
    );
    const banner = sandbox.stdout.join('');
    expect(banner).not.toContain(secret);
    expect(banner).toContain('# QUENTLI_API_KEY: as set in this environment (not printed)');
    expect(banner).toContain('# NXLINK_ACCESS_SECRET: as set in this environment (not printed)');
    expect(banner).toContain('export NXLINK_ACCESS_KEY=sandbox-access-key');
    sandbox.child.kill('SIGTERM');
    await once(sandbox.child, 'exit');
  });
});
