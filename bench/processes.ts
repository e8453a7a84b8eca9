import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));

/** The sandbox's fixed development credentials, given to every process explicitly. */
export const DEV_CREDENTIALS = {
  QUENTLI_API_KEY: 'sk_sandbox_quentli',
  NXLINK_ACCESS_KEY: 'sandbox-access-key',
  NXLINK_ACCESS_SECRET: 'sandbox-access-secret',
  NXLINK_TENANT_ID: '9007199254740993',
  NXLINK_APP_KEY: 'sandbox-app',
  // A zone with offsets and DST history, as deployments have: NXLink's local times cost what they do there.
  NXLINK_TIME_ZONE: 'America/Mexico_City',
} as const;

/** The gateway runs as in production: clients must present this key. */
export const BENCH_GATEWAY_KEY = 'bench-gateway-key-0123456789abcdef';

export interface ServiceSpec {
  name: string;
  /** An entry point relative to the repository root: TypeScript (run through tsx) or JavaScript. */
  script: string;
  env: Record<string, string>;
  /** Node flags before `--import tsx`, e.g. --cpu-prof. */
  nodeFlags?: readonly string[];
  /** URLs that must all answer 2xx before the service counts as ready. */
  readyUrls: readonly string[];
}

export interface Service {
  name: string;
  /** The node process that runs the server itself: no npm or tsx wrapper in between. */
  pid: number;
  /** The last lines the process printed, for error messages. */
  output(): string;
  /** Resolves with the exit code (or signal) once the process has exited. */
  readonly exited: Promise<string>;
  isRunning(): boolean;
  child: ChildProcess;
  /** Milliseconds from spawning the process until it answered on every ready URL. */
  startupMs: number;
}

const READY_TIMEOUT_MS = 90_000;
const OUTPUT_TAIL_CHARS = 4_000;

/** A port that was free a moment ago (the OS picks it; the service binds it right after). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/**
 * Starts `node [flags] [--import tsx] <script>` directly (tsx only for a TypeScript script), so
 * that the pid is the server's own process and /proc/<pid> measures the server and nothing else. The environment is minimal on
 * purpose: variables of the caller's shell (PORT, GATEWAY_API_KEYS, ...) must not change a run.
 */
export async function startService(spec: ServiceSpec): Promise<Service> {
  const spawnedAt = performance.now();
  const loader = spec.script.endsWith('.ts') ? ['--import', 'tsx'] : [];
  const child = spawn(process.execPath, [...(spec.nodeFlags ?? []), ...loader, spec.script], {
    cwd: REPO_ROOT,
    env: { ...baseEnv(), ...spec.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let tail = '';
  const keep = (chunk: Buffer) => {
    tail = (tail + chunk.toString('utf8')).slice(-OUTPUT_TAIL_CHARS);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  let running = true;
  const exited = new Promise<string>((resolve) => {
    child.once('exit', (code, signal) => {
      running = false;
      resolve(signal ?? String(code));
    });
  });
  if (child.pid === undefined) throw new Error(`Could not start ${spec.name} (${spec.script})`);
  const service: Service = {
    name: spec.name,
    pid: child.pid,
    output: () => tail,
    exited,
    isRunning: () => running,
    child,
    startupMs: 0,
  };
  await waitReady(service, spec.readyUrls);
  service.startupMs = performance.now() - spawnedAt;
  return service;
}

function baseEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const name of ['PATH', 'HOME', 'TMPDIR', 'LANG']) {
    const value = process.env[name];
    if (value !== undefined) env[name] = value;
  }
  return env;
}

async function waitReady(service: Service, urls: readonly string[]): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (const url of urls) {
    while (!(await answers(url))) {
      if (!service.isRunning()) {
        throw new Error(`${service.name} exited before it was ready. Its output:\n${service.output()}`);
      }
      if (Date.now() > deadline) {
        throw new Error(
          `${service.name} was not ready at ${url} within ${READY_TIMEOUT_MS} ms. Its output:\n${service.output()}`,
        );
      }
      await sleep(100);
    }
  }
}

async function answers(url: string): Promise<boolean> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(1_000) });
    await response.arrayBuffer();
    return response.ok;
  } catch {
    return false;
  }
}

/** SIGTERM (the servers finish requests in flight and exit), then SIGKILL after `graceMs`. */
export async function stopService(service: Service, graceMs = 10_000): Promise<void> {
  if (!service.isRunning()) return;
  service.child.kill('SIGTERM');
  const timer = setTimeout(() => service.child.kill('SIGKILL'), graceMs);
  await service.exited;
  clearTimeout(timer);
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

const CLOCK_TICKS_PER_SECOND = readClockTicks();

function readClockTicks(): number {
  try {
    const ticks = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());
    return Number.isInteger(ticks) && ticks > 0 ? ticks : 100;
  } catch {
    return 100;
  }
}

/** User + system CPU time of the whole process (all its threads: GC too), in microseconds. */
export function cpuMicros(pid: number): number {
  const stat = readProc(pid, 'stat');
  // The command name (field 2) may hold spaces and parentheses: count fields after its ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]);
  if (!Number.isFinite(ticks)) throw new Error(`Unexpected /proc/${pid}/stat: ${stat}`);
  return (ticks * 1_000_000) / CLOCK_TICKS_PER_SECOND;
}

export interface Memory {
  /** Resident set size now, in MB. */
  rssMb: number;
  /** Peak resident set size since the process started, in MB. */
  peakRssMb: number;
}

export function memory(pid: number): Memory {
  const status = readProc(pid, 'status');
  const kilobytes = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
  return { rssMb: kilobytes('VmRSS') / 1024, peakRssMb: kilobytes('VmHWM') / 1024 };
}

function readProc(pid: number, file: 'stat' | 'status'): string {
  try {
    return readFileSync(`/proc/${pid}/${file}`, 'utf8');
  } catch (error) {
    throw new Error(
      `Cannot read /proc/${pid}/${file} (the benchmark measures CPU and memory through Linux /proc): ${String(error)}`,
    );
  }
}
