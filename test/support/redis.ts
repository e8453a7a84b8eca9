import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { freePort } from './ports.ts';

export const REDIS_SERVER = '/usr/bin/redis-server';
/** Debian's redis-server; the tests that need it say so and skip when it is missing. */
export const redisAvailable = existsSync(REDIS_SERVER);

export interface TestRedis {
  /** redis://:<password>@127.0.0.1:<port>: the password proves it never reaches a log line. */
  url: string;
  password: string;
  port: number;
  /** Kills the server (SIGKILL: no goodbye to the clients). */
  kill(): Promise<void>;
  /** Starts it again on the same port and password, empty (nothing is saved). */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

/** A throwaway redis-server on a free loopback port, in memory only, with a password. */
export async function startTestRedis(): Promise<TestRedis> {
  const port = await freePort();
  const password = randomBytes(12).toString('hex');
  let child: ChildProcess | undefined = await launch(port, password);
  const kill = async () => {
    const running = child;
    child = undefined;
    if (running === undefined || running.exitCode !== null) return;
    const exited = new Promise((resolve) => running.once('exit', resolve));
    running.kill('SIGKILL');
    await exited;
  };
  return {
    url: `redis://:${password}@127.0.0.1:${port}`,
    password,
    port,
    kill,
    restart: async () => {
      await kill();
      child = await launch(port, password);
    },
    stop: kill,
  };
}

async function launch(port: number, password: string): Promise<ChildProcess> {
  const child = spawn(
    REDIS_SERVER,
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--requirepass', password],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`redis-server did not start:\n${output}`)), 10_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('Ready to accept connections')) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`redis-server exited with ${code}:\n${output}`));
    });
  });
  child.stdout?.removeAllListeners('data').resume();
  child.stderr?.removeAllListeners('data').resume();
  child.removeAllListeners('exit');
  return child;
}
