/**
 * `npm run bench [-- --profile] [--rounds 3] [--seconds 4] [--warmup 1] [--connections 10] [--latencies 0,20]
 *   [--variant-rounds 3] [--variant-seconds 2] [--deferred-requests 30]
 *   [--scenarios gateway-quentli,baseline-quentli,walk,deferred,tricks]`
 *
 * `--scenarios` runs only the named scenarios (the walk only when `walk` is named, the speed
 * tricks on/off only when `tricks` is), e.g. to profile one of them; the targets are then
 * evaluated on what ran. `deferred` times the first and the last part of a deferred
 * customers(first: 50) with both links against the same query answered whole (bench/deferred.ts),
 * at each upstream latency.
 *
 * Starts the sandbox upstreams, the gateway (production mode), a hand-written baseline and the
 * floor (the same upstream call and answer without GraphQL, bench/floor.ts) as separate processes, drives each scenario with autocannon in alternating rounds, and reports
 * throughput, latency, CPU per request, upstream calls per request and memory against the
 * targets of issue 15, and what each speed trick gains. Only ratios within one run mean anything: these machines drift by up to
 * 1.5x between runs. Missed targets are reported, not an exit code.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, release, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { summarize, type CallProbe, type ScenarioFigures, type WalkFigures, type Window } from './figures.ts';
import { runLoad, type HttpCall, type LoadSpec } from './load.ts';
import { cpuMicros, memory, REPO_ROOT, sleep, type Service } from './processes.ts';
import { findProfile, summarizeProfile, type ProfileSummary } from './profile.ts';
import { measureDeferred, type DeferredFigures } from './deferred.ts';
import { formatReport } from './report.ts';
import { readCalls, resetCalls, setLatency } from './sandbox.ts';
import {
  connectionOf,
  graphqlCall,
  QUERIES,
  scenario as scenarioOf,
  SCENARIOS,
  type Endpoint,
  type Scenario,
  type ScenarioId,
} from './scenarios.ts';
import { CUSTOMERS_PER_SOURCE, PROFILE_DIR, servicesOf, startStack, stopAll, type Stack } from './stack.ts';
import { evaluateTargets, type Measurements, type VariantFigures } from './targets.ts';

interface Options {
  profile: boolean;
  rounds: number;
  seconds: number;
  warmupSeconds: number;
  connections: number;
  latencies: number[];
  /** Ids of the scenarios to run (all by default); `walk` names the 20,000-customer walk, `tricks` the speed tricks. */
  scenarios: string[];
  /** Rounds of the speed-trick variants (each scenario once per variant per round). */
  variantRounds: number;
  /** Seconds of each variant window: many short paired windows beat a few long ones on a drifting machine. */
  variantSeconds: number;
  /** Requests of the deferred scenario (each of the deferred and the whole query) per upstream latency. */
  deferredRequests: number;
}

/** Where the speed tricks are measured on and off: a Quentli page, an NXLink page, links. */
const TRICK_SCENARIOS: readonly ScenarioId[] = ['gateway-quentli', 'gateway-nxlink', 'gateway-customers'];
/** Unmeasured load on a variant right before each of its windows. */
const VARIANT_WARMUP_SECONDS = 1;
/** De-duplication: one query repeated, pages that vary, and a page with links. */
const DEDUP_SCENARIOS: readonly ScenarioId[] = ['gateway-quentli', 'gateway-quentli-pages', 'gateway-customers'];

/** Measured apart from the load scenarios, each only when named (all are by default). */
const EXTRA_SCENARIOS = ['walk', 'deferred', 'tricks'] as const;

/** After a window: requests the gateway still had in flight make their upstream calls. */
const SETTLE_MS = 300;
const PROBE_REQUESTS = 10;

let running: Service[] = [];

async function main(): Promise<void> {
  const options = readOptions();
  const startedAt = Date.now();
  progress(
    `Starting the sandbox (${2 * CUSTOMERS_PER_SOURCE} customers), the gateway${options.profile ? ' with --cpu-prof' : ''}, the baseline and the floor`,
  );
  const stack = await startStack({ profile: options.profile, variants: options.scenarios.includes('tricks') });
  running = servicesOf(stack);
  let measurements: Measurements;
  try {
    measurements = await measureAll(stack, options);
  } finally {
    await stopAll(running);
  }
  const profile = options.profile ? readProfile(stack.gateway.pid, stack.gateway.startupMs) : undefined;
  const targets = evaluateTargets(measurements);
  process.stdout.write(`\n${formatReport(measurements, targets, profile)}\n`);

  const file = join(REPO_ROOT, options.profile ? PROFILE_DIR : 'bench', 'results.json');
  mkdirSync(join(file, '..'), { recursive: true });
  const results = {
    machine: machine(),
    settings: options,
    totalSeconds: (Date.now() - startedAt) / 1000,
    ...measurements,
    targets,
    profile,
  };
  writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
  process.stdout.write(`\nResults: ${file} (${results.totalSeconds.toFixed(0)} s)\n`);
}

function readOptions(): Options {
  const { values } = parseArgs({
    options: {
      profile: { type: 'boolean', default: false },
      rounds: { type: 'string', default: '3' },
      seconds: { type: 'string', default: '4' },
      warmup: { type: 'string', default: '1' },
      connections: { type: 'string', default: '10' },
      latencies: { type: 'string', default: '0,20' },
      scenarios: {
        type: 'string',
        default: [...SCENARIOS.map((scenario) => scenario.id), ...EXTRA_SCENARIOS].join(','),
      },
      'variant-rounds': { type: 'string', default: '3' },
      'variant-seconds': { type: 'string', default: '2' },
      'deferred-requests': { type: 'string', default: '30' },
    },
  });
  const positive = (name: string, text: string) => {
    const value = Number(text);
    if (!Number.isFinite(value) || value <= 0) throw new Error(`--${name} must be a positive number, got "${text}"`);
    return value;
  };
  const latencies = values.latencies.split(',').map((text) => Number(text));
  if (latencies.some((value) => !Number.isInteger(value) || value < 0)) {
    throw new Error(`--latencies must be whole milliseconds separated by commas, got "${values.latencies}"`);
  }
  return {
    profile: values.profile,
    rounds: Math.round(positive('rounds', values.rounds)),
    seconds: positive('seconds', values.seconds),
    warmupSeconds: positive('warmup', values.warmup),
    connections: Math.round(positive('connections', values.connections)),
    latencies,
    scenarios: chosenScenarios(values.scenarios),
    variantRounds: Math.round(positive('variant-rounds', values['variant-rounds'])),
    variantSeconds: positive('variant-seconds', values['variant-seconds']),
    deferredRequests: Math.round(positive('deferred-requests', values['deferred-requests'])),
  };
}

function chosenScenarios(list: string): string[] {
  const known = new Set<string>([...SCENARIOS.map((scenario) => scenario.id), ...EXTRA_SCENARIOS]);
  const chosen = list
    .split(',')
    .map((id) => id.trim())
    .filter((id) => id.length > 0);
  const unknown = chosen.filter((id) => !known.has(id));
  if (unknown.length > 0 || chosen.length === 0) {
    throw new Error(`--scenarios takes ids from ${[...known].join(', ')}; got "${list}"`);
  }
  return chosen;
}

function scenariosOf(options: Options): readonly Scenario[] {
  return SCENARIOS.filter((scenario) => options.scenarios.includes(scenario.id));
}

async function measureAll(stack: Stack, options: Options): Promise<Measurements> {
  await setLatency(stack, 0);
  const probes = await probeCalls(stack, scenariosOf(options));
  const sets: Measurements['sets'][number][] = [];
  const rssMbAfterLoad: Measurements['memory']['rssMbAfterLoad'] = [];
  let walk: WalkFigures | undefined;
  const deferred: DeferredFigures[] = [];
  for (const upstreamLatencyMs of options.latencies) {
    await setLatency(stack, upstreamLatencyMs);
    sets.push({ upstreamLatencyMs, scenarios: await runSet(stack, options, upstreamLatencyMs) });
    if (options.scenarios.includes('deferred')) {
      progress(
        `Upstream latency ${upstreamLatencyMs} ms: deferred customers(first: 50), ${options.deferredRequests} requests beside the whole query`,
      );
      deferred.push(await measureDeferred(stack, upstreamLatencyMs, options.deferredRequests));
    }
    rssMbAfterLoad.push({ upstreamLatencyMs, rssMb: memory(stack.gateway.pid).rssMb });
    if (upstreamLatencyMs === 0 && options.scenarios.includes('walk')) walk = await walkCustomers(stack);
  }
  await setLatency(stack, 0);
  const peakRssMb = memory(stack.gateway.pid).peakRssMb;
  const variants = stack.variants.length > 0 ? await measureVariants(stack, options) : [];
  return { sets, probes, walk, deferred, variants, memory: { rssMbAfterLoad, peakRssMb } };
}

interface Target {
  variant: string;
  label: string;
  url: string;
  pid: number;
}

/**
 * Each speed trick off, and de-duplication on, against the control gateway (every trick on,
 * de-duplication off, started with them), at upstream latency 0 where CPU decides. The
 * machine's speed drifts within seconds (other processes share its cores), so each comparison
 * is paired: per round and scenario, the control runs right before and right after the
 * variants, each window after a second of the same load, and each variant is compared with the
 * mean of those two control windows. The figure is the
 * median of the rounds.
 */
async function measureVariants(stack: Stack, options: Options): Promise<VariantFigures[]> {
  const targets = stack.variants.map((variant) => ({
    variant: variant.id,
    label: variant.label,
    url: variant.url,
    pid: variant.service.pid,
  }));
  const main = targets.find((target) => target.variant === 'control');
  if (main === undefined)
    throw new Error('The speed tricks are measured against the control gateway, which did not start');
  const others = targets.filter((target) => target !== main);
  const groups = [...new Set([...TRICK_SCENARIOS, ...DEDUP_SCENARIOS])].map((id) => ({
    scenario: scenarioOf(id),
    targets: others.filter((target) =>
      (target.variant === 'dedup-on' ? DEDUP_SCENARIOS : TRICK_SCENARIOS).includes(id),
    ),
  }));
  progress(`Speed tricks: ${others.length} gateway variants beside the main gateway, warming up`);
  for (const group of groups) {
    for (const target of [main, ...group.targets])
      await runLoad(loadSpec(target.url, group.scenario, options, options.warmupSeconds));
  }
  const windows = new Map<string, Window[]>();
  const shares = new Map<string, number[]>();
  const measure = async (target: Target, scenario: Scenario): Promise<Window> => {
    // Every window starts as warm as the others: the process that ran last would otherwise have
    // its caches and heap ready, and the control runs last before and first after the variants.
    await runLoad(loadSpec(target.url, scenario, options, VARIANT_WARMUP_SECONDS));
    await resetCalls(stack);
    const before = cpuMicros(target.pid);
    const sample = await runLoad(loadSpec(target.url, scenario, options, options.variantSeconds));
    const cpu = cpuMicros(target.pid) - before;
    await sleep(SETTLE_MS);
    const window = { sample, cpuMicros: cpu, calls: await readCalls(stack), rssMb: memory(target.pid).rssMb };
    const key = `${target.variant}|${scenario.id}`;
    windows.set(key, [...(windows.get(key) ?? []), window]);
    return window;
  };
  const perRequest = (window: Window) => window.cpuMicros / window.sample.ok;
  for (let round = 0; round < options.variantRounds; round += 1) {
    for (const { scenario, targets } of rotate(groups, round)) {
      const before = await measure(main, scenario);
      const measured: [Target, Window][] = [];
      for (const target of rotate(targets, round)) measured.push([target, await measure(target, scenario)]);
      const after = await measure(main, scenario);
      const mainCpu = (perRequest(before) + perRequest(after)) / 2;
      for (const [target, window] of measured) {
        const key = `${target.variant}|${scenario.id}`;
        shares.set(key, [...(shares.get(key) ?? []), 1 - mainCpu / perRequest(window)]);
      }
      progress(
        `  variants, round ${round + 1}/${options.variantRounds}, ${scenario.label}: control ${perRequest(before).toFixed(0)}/${perRequest(after).toFixed(0)} µs CPU/req, ` +
          measured.map(([target, window]) => `${target.variant} ${perRequest(window).toFixed(0)}`).join(', '),
      );
    }
  }
  return [main, ...others].map((target) => {
    const ids = groups
      .filter((group) => target === main || group.targets.includes(target))
      .map((group) => group.scenario);
    return {
      variant: target.variant,
      label: target.label,
      scenarios: ids.map((scenario) => summarize(scenario, 0, windows.get(`${target.variant}|${scenario.id}`) ?? [])),
      sharesSaved: ids.map((scenario) => ({
        scenario: scenario.id,
        perRound: shares.get(`${target.variant}|${scenario.id}`) ?? [],
      })),
    };
  });
}

/** Warm-up, then every scenario once per round, the order rotated each round. */
async function runSet(stack: Stack, options: Options, latencyMs: number): Promise<ScenarioFigures[]> {
  const scenarios = scenariosOf(options);
  progress(`Upstream latency ${latencyMs} ms: warming up`);
  for (const scenario of scenarios)
    await runLoad(loadSpec(originOf(stack, scenario.endpoint), scenario, options, options.warmupSeconds));
  const windows = new Map<Scenario['id'], Window[]>();
  for (let round = 0; round < options.rounds; round += 1) {
    for (const scenario of rotate(scenarios, round)) {
      const window = await measureWindow(stack, scenario, options);
      windows.set(scenario.id, [...(windows.get(scenario.id) ?? []), window]);
      const { sample } = window;
      const bad = sample.errors + sample.non2xx + sample.mismatches;
      progress(
        `  ${latencyMs} ms, round ${round + 1}/${options.rounds}: ${scenario.label}: ${(sample.ok / sample.seconds).toFixed(0)} req/s, ` +
          `${(window.cpuMicros / sample.ok).toFixed(0)} µs CPU/req${bad > 0 ? `, ${bad} bad answers` : ''}`,
      );
    }
  }
  return scenarios.map((scenario) => summarize(scenario, latencyMs, windows.get(scenario.id) ?? []));
}

async function measureWindow(stack: Stack, scenario: Scenario, options: Options): Promise<Window> {
  const pid = pidOf(stack, scenario.endpoint);
  await resetCalls(stack);
  const before = cpuMicros(pid);
  const sample = await runLoad(loadSpec(originOf(stack, scenario.endpoint), scenario, options, options.seconds));
  const cpu = cpuMicros(pid) - before;
  await sleep(SETTLE_MS);
  return { sample, cpuMicros: cpu, calls: await readCalls(stack), rssMb: memory(pid).rssMb };
}

function loadSpec(origin: string, scenario: Scenario, options: Options, durationSeconds: number): LoadSpec {
  return {
    origin,
    call: scenario.call,
    refresh: scenario.refresh,
    verify: scenario.verify,
    connections: scenario.connections ?? options.connections,
    durationSeconds,
  };
}

/** Upstream calls counted exactly: a few requests one after another, nothing in flight at the end. */
async function probeCalls(stack: Stack, scenarios: readonly Scenario[]): Promise<CallProbe[]> {
  progress('Counting upstream calls per request');
  const probes: CallProbe[] = [];
  for (const scenario of scenarios) {
    if (scenario.upstreamBound === undefined || scenario.endpoint !== 'gateway') continue;
    await resetCalls(stack);
    let answer: unknown;
    for (let i = 0; i < PROBE_REQUESTS; i += 1) answer = await send(stack.gatewayUrl, scenario.call);
    const calls = await readCalls(stack);
    probes.push({
      scenario: scenario.id,
      requests: PROBE_REQUESTS,
      perRequest: { quentli: calls.quentli / PROBE_REQUESTS, nxlink: calls.nxlink / PROBE_REQUESTS },
      bound: scenario.upstreamBound(answer),
    });
  }
  return probes;
}

/** Every customer, page after page, as a client that exports them all would. */
async function walkCustomers(stack: Stack): Promise<WalkFigures> {
  progress(`Walking all ${2 * CUSTOMERS_PER_SOURCE} customers through customers(first: 100)`);
  const pid = stack.gateway.pid;
  const maxRequests = Math.ceil((2 * CUSTOMERS_PER_SOURCE) / 100) * 2 + 10;
  await resetCalls(stack);
  const rssMbBefore = memory(pid).rssMb;
  const cpuBefore = cpuMicros(pid);
  const started = performance.now();
  const seen = new Set<string>();
  let customers = 0;
  let requests = 0;
  let rssMbPeakDuring = rssMbBefore;
  let after: string | null = null;
  do {
    const page = connectionOf(await send(stack.gatewayUrl, graphqlCall(QUERIES.walk, { after })), 'customers');
    requests += 1;
    for (const node of page.nodes) seen.add(String(node.id));
    customers += page.nodes.length;
    rssMbPeakDuring = Math.max(rssMbPeakDuring, memory(pid).rssMb);
    after = page.hasNextPage ? page.endCursor : null;
    if (requests > maxRequests) throw new Error(`The walk did not end after ${requests} pages`);
  } while (after !== null);
  const seconds = (performance.now() - started) / 1000;
  const cpu = cpuMicros(pid) - cpuBefore;
  return {
    requests,
    customers,
    distinctCustomers: seen.size,
    seconds,
    upstreamCalls: await readCalls(stack),
    cpuMicrosPerRequest: cpu / requests,
    rssMbBefore,
    rssMbAfter: memory(pid).rssMb,
    rssMbPeakDuring,
  };
}

async function send(origin: string, call: HttpCall): Promise<unknown> {
  const response = await fetch(`${origin}${call.path}`, {
    method: call.method,
    headers: call.headers,
    ...(call.body === undefined ? {} : { body: call.body }),
  });
  const text = await response.text();
  if (!response.ok || text.includes('"errors"')) {
    throw new Error(`${call.method} ${origin}${call.path} answered ${response.status}: ${text.slice(0, 500)}`);
  }
  return JSON.parse(text);
}

function originOf(stack: Stack, endpoint: Endpoint): string {
  const origins: Record<Endpoint, string> = {
    quentli: stack.quentliUrl,
    nxlink: stack.nxlinkUrl,
    gateway: stack.gatewayUrl,
    baseline: stack.baselineUrl,
    floor: stack.floorUrl,
  };
  return origins[endpoint];
}

function pidOf(stack: Stack, endpoint: Endpoint): number {
  if (endpoint === 'gateway') return stack.gateway.pid;
  if (endpoint === 'baseline') return stack.baseline.pid;
  if (endpoint === 'floor') return stack.floor.pid;
  return stack.sandbox.pid;
}

function rotate<T>(items: readonly T[], by: number): T[] {
  const shift = by % items.length;
  return [...items.slice(shift), ...items.slice(0, shift)];
}

function readProfile(pid: number, startupMs: number): ProfileSummary | undefined {
  const path = findProfile(join(REPO_ROOT, PROFILE_DIR), pid);
  if (path === undefined) {
    progress(`No CPU profile of the gateway (pid ${pid}) in ${PROFILE_DIR}: did it exit through SIGTERM?`);
    return undefined;
  }
  return summarizeProfile(path, startupMs);
}

function machine() {
  const processors = cpus();
  return {
    cpuModel: processors[0]?.model ?? 'unknown',
    cpuCount: processors.length,
    totalMemoryMb: Math.round(totalmem() / 2 ** 20),
    loadAverageAtEnd: loadavg(),
    node: process.version,
    platform: `${process.platform} ${release()}`,
    date: new Date().toISOString(),
  };
}

function progress(message: string): void {
  process.stderr.write(`${message}\n`);
}

/** Ctrl-C or a kill: the three servers must not outlive the benchmark. */
function stopOnSignals(): void {
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      progress(`${signal}: stopping the servers`);
      void stopAll(running).finally(() => process.exit(130));
    });
  }
  process.once('exit', () => {
    for (const service of running) if (service.isRunning()) service.child.kill('SIGKILL');
  });
}

stopOnSignals();
main().catch(async (error: unknown) => {
  process.stderr.write(`Benchmark failed: ${error instanceof Error ? error.message : String(error)}\n`);
  // A server that died on the way says why in its last lines.
  for (const service of running.filter((candidate) => !candidate.isRunning())) {
    process.stderr.write(`${service.name} (pid ${service.pid}) exited; its last output:\n${service.output()}\n`);
  }
  await stopAll(running);
  process.exitCode = 1;
});
