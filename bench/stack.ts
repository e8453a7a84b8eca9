import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SPEED_TRICKS, type SpeedTrick } from '../src/speed-tricks.ts';
import {
  BENCH_GATEWAY_KEY,
  DEV_CREDENTIALS,
  freePort,
  REPO_ROOT,
  startService,
  stopService,
  type Service,
} from './processes.ts';

export const PROFILE_DIR = 'bench/profiles';
/** Per source: the merged list then holds twice as many. */
export const CUSTOMERS_PER_SOURCE = 10_000;

/**
 * Another gateway, exactly as the main one but for its speed tricks: one switched off (what it
 * gains is the difference), or in-flight de-duplication switched on.
 */
export interface GatewayVariant {
  id: string;
  label: string;
  service: Service;
  url: string;
}

/**
 * The main gateway runs with in-flight de-duplication off: the scenarios repeat one query, which
 * de-duplication would flatter. Its gain is measured apart, by the `dedup-on` variant.
 */
const MAIN_GATEWAY_OFF: readonly SpeedTrick[] = ['read-deduplication'];

export interface Stack {
  sandbox: Service;
  gateway: Service;
  /** Empty unless the speed tricks are measured. */
  variants: GatewayVariant[];
  baseline: Service;
  floor: Service;
  quentliUrl: string;
  nxlinkUrl: string;
  gatewayUrl: string;
  baselineUrl: string;
  floorUrl: string;
}

/**
 * The sandbox upstreams, the gateway (production mode), the baseline and the floor, each its own
 * process.
 * They start side by side: neither server calls an upstream before its first request.
 * Whatever started is stopped again when another fails to start.
 */
export async function startStack(options: { profile: boolean; variants: boolean }): Promise<Stack> {
  const variantSpecs = options.variants ? variantsToStart() : [];
  const [quentliPort, nxlinkPort, gatewayPort, baselinePort, floorPort, ...variantPorts] = await distinctFreePorts(
    5 + variantSpecs.length,
  );
  const quentliUrl = `http://127.0.0.1:${quentliPort}`;
  const nxlinkUrl = `http://127.0.0.1:${nxlinkPort}`;
  const gatewayUrl = `http://127.0.0.1:${gatewayPort}`;
  const baselineUrl = `http://127.0.0.1:${baselinePort}`;
  const floorUrl = `http://127.0.0.1:${floorPort}`;

  const starts = [
    startService({
      name: 'sandbox',
      script: 'src/sandbox/main.ts',
      env: {
        ...DEV_CREDENTIALS,
        SANDBOX_QUENTLI_PORT: String(quentliPort),
        SANDBOX_NXLINK_PORT: String(nxlinkPort),
        SANDBOX_CUSTOMERS: String(CUSTOMERS_PER_SOURCE),
      },
      readyUrls: [`${quentliUrl}/__sandbox/faults`, `${nxlinkUrl}/__sandbox/faults`],
    }),
    startService({
      name: 'gateway',
      // As deployed: the compiled JavaScript (`npm run build`, which `npm run bench` runs first).
      script: 'dist/server.js',
      nodeFlags: [...startFlags(), ...(options.profile ? ['--cpu-prof', `--cpu-prof-dir=${PROFILE_DIR}`] : [])],
      env: gatewayEnv(gatewayPort!, quentliUrl, nxlinkUrl, MAIN_GATEWAY_OFF),
      readyUrls: [`${gatewayUrl}/health`],
    }),
    startService({
      name: 'baseline',
      script: 'bench/baseline.ts',
      env: {
        NODE_ENV: 'production',
        PORT: String(baselinePort),
        QUENTLI_BASE_URL: quentliUrl,
        QUENTLI_API_KEY: DEV_CREDENTIALS.QUENTLI_API_KEY,
      },
      readyUrls: [`${baselineUrl}/health`],
    }),
    startService({
      name: 'floor',
      script: 'bench/floor.ts',
      env: {
        NODE_ENV: 'production',
        PORT: String(floorPort),
        QUENTLI_BASE_URL: quentliUrl,
        QUENTLI_API_KEY: DEV_CREDENTIALS.QUENTLI_API_KEY,
      },
      readyUrls: [`${floorUrl}/health`],
    }),
  ];
  const variantStarts = variantSpecs.map((spec, i) => {
    const port = variantPorts[i]!;
    return startService({
      name: `gateway ${spec.id}`,
      script: 'dist/server.js',
      nodeFlags: startFlags(),
      env: gatewayEnv(port, quentliUrl, nxlinkUrl, spec.off),
      readyUrls: [`http://127.0.0.1:${port}/health`],
    });
  });
  const settled = await Promise.allSettled([...starts, ...variantStarts]);
  const started = settled.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
  const failure = settled.find((result) => result.status === 'rejected');
  if (failure !== undefined) {
    await stopAll(started);
    throw failure.reason;
  }
  const [sandbox, gateway, baseline, floor, ...variantServices] = started as [
    Service,
    Service,
    Service,
    Service,
    ...Service[],
  ];
  const variants = variantSpecs.map((spec, i) => ({
    id: spec.id,
    label: spec.label,
    service: variantServices[i]!,
    url: `http://127.0.0.1:${variantPorts[i]!}`,
  }));
  return { sandbox, gateway, variants, baseline, floor, quentliUrl, nxlinkUrl, gatewayUrl, baselineUrl, floorUrl };
}

/**
 * One variant per speed trick, switched off, and one with in-flight de-duplication on; and the
 * control they are compared with: a twin of the main gateway, started and warmed up with them
 * (the main gateway, hot from minutes of load by then, would flatter every trick).
 */
function variantsToStart(): { id: string; label: string; off: readonly SpeedTrick[] }[] {
  const tricks = (Object.keys(SPEED_TRICKS) as SpeedTrick[]).filter((trick) => !MAIN_GATEWAY_OFF.includes(trick));
  return [
    { id: 'control', label: 'every trick on, dedup off', off: MAIN_GATEWAY_OFF },
    ...tricks.map((trick) => ({ id: `${trick}-off`, label: `without ${trick}`, off: [...MAIN_GATEWAY_OFF, trick] })),
    { id: 'dedup-on', label: 'with read-deduplication', off: [] },
  ];
}

function gatewayEnv(
  port: number,
  quentliUrl: string,
  nxlinkUrl: string,
  off: readonly SpeedTrick[],
): Record<string, string> {
  return {
    ...DEV_CREDENTIALS,
    NODE_ENV: 'production',
    PORT: String(port),
    HOST: '127.0.0.1',
    QUENTLI_BASE_URL: quentliUrl,
    NXLINK_BASE_URL: nxlinkUrl,
    // Production mode: keys required, no GraphiQL, no introspection.
    GATEWAY_API_KEYS: BENCH_GATEWAY_KEY,
    GATEWAY_ALLOW_ANONYMOUS: 'false',
    GATEWAY_GRAPHIQL: 'false',
    GATEWAY_INTROSPECTION: 'false',
    // One client sends every request of the benchmark: no per-client limit.
    GATEWAY_RATE_LIMIT: '0',
    // The shared cache of issue 8 is off: a page asked again and again would measure the
    // cache, and every request must show the upstream calls it costs on its own.
    CACHE_TTL_MS: '0',
    GATEWAY_SPEED_TRICKS_OFF: off.join(','),
  };
}

/**
 * The node flags of `npm run serve` (`exec node [flags] dist/server.js` in package.json), which
 * `npm start` and the container run: the benchmark runs the gateway exactly as it is deployed.
 */
export function startFlags(): string[] {
  const manifest = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as {
    scripts?: Record<string, string>;
  };
  const serve = manifest.scripts?.serve ?? '';
  // `exec` makes the shell npm starts become node, so that signals sent to npm reach the gateway.
  const words = serve.split(/\s+/).filter((word) => word.length > 0 && word !== 'exec');
  const script = words.indexOf('dist/server.js');
  if (words[0] !== 'node' || script === -1)
    throw new Error(`package.json's serve script must be \`node [flags] dist/server.js\`, got "${serve}"`);
  return words.slice(1, script);
}

async function distinctFreePorts(count: number): Promise<number[]> {
  const ports = new Set<number>();
  while (ports.size < count) ports.add(await freePort());
  return [...ports];
}

/** The gateway gets longer: with --cpu-prof it writes its profile while exiting. */
export async function stopAll(services: readonly Service[]): Promise<void> {
  await Promise.all(services.map((service) => stopService(service, service.name === 'gateway' ? 60_000 : 10_000)));
}

export function servicesOf(stack: Stack): Service[] {
  return [
    stack.gateway,
    ...stack.variants.map((variant) => variant.service),
    stack.baseline,
    stack.floor,
    stack.sandbox,
  ];
}
