import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';

const root = new URL('../..', import.meta.url).pathname;
let child: ChildProcess | undefined;

afterEach(() => {
  child?.kill('SIGKILL');
  child = undefined;
});

/**
 * The server's entry point as `npm start` runs it (there compiled to dist/, here from source), on
 * a free port: resolves with its URLs once it is ready.
 */
async function startServer(): Promise<{ url: string; quentli: string; lines: string[] }> {
  child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    cwd: root,
    env: { PATH: process.env.PATH, PORT: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  return new Promise((resolve, reject) => {
    child!.once('exit', (code) => reject(new Error(`server exited with ${code}: ${lines.join('\n')}`)));
    child!.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      for (const line of chunk.split('\n').filter(Boolean)) {
        lines.push(line);
        const entry = JSON.parse(line) as { msg: string; quentli?: string };
        const ready = /GraphiQL at (http:\/\/\S+)\/graphql/.exec(entry.msg);
        if (ready?.[1] && entry.quentli) resolve({ url: ready[1], quentli: entry.quentli, lines });
      }
    });
  });
}

describe('the server process', () => {
  it('says in its first log lines that it runs in sandbox mode, and where GraphiQL is', async () => {
    const { lines } = await startServer();
    expect(lines[0]).toMatch(/Sandbox mode/);
    expect(lines[1]).toMatch(/GraphiQL at http:\/\/127\.0\.0\.1:\d+\/graphql/);
  });

  it('finishes requests in flight on SIGTERM, then exits cleanly', async () => {
    const { url, quentli } = await startServer();
    await fetch(`${quentli}/__sandbox/faults`, { method: 'PUT', body: JSON.stringify({ latencyMs: 800 }) });
    const inFlight = fetch(`${url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ quentliCustomers(first: 2) { edges { node { sourceId } } } }' }),
    });
    await new Promise((resolve) => setTimeout(resolve, 200));
    child!.kill('SIGTERM');
    const response = await inFlight;
    const body = (await response.json()) as { data: { quentliCustomers: { edges: unknown[] } } };
    expect(body.data.quentliCustomers.edges).toHaveLength(2);
    const [code] = await once(child!, 'exit');
    expect(code).toBe(0);
  });
});
