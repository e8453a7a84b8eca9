import type { CallProbe, MemoryFigures, ScenarioFigures, WalkFigures } from './figures.ts';
import type { ScenarioId } from './scenarios.ts';

export interface Target {
  id: string;
  description: string;
  measured: number;
  /** The limit the measured value is held to, as a number in the same unit. */
  limit: number;
  unit: string;
  pass: boolean;
  detail: string;
}

export interface Measurements {
  sets: readonly { upstreamLatencyMs: number; scenarios: readonly ScenarioFigures[] }[];
  probes: readonly CallProbe[];
  walk: WalkFigures | undefined;
  memory: MemoryFigures;
}

const MB_AFTER_LOAD = 150;
const MB_WALK_GROWTH = 20;
const LATENCY_SLACK_MS = 2;

export function evaluateTargets(m: Measurements): Target[] {
  return [...cpuTargets(m), ...latencyTargets(m), ...m.probes.map(callTarget), ...memoryTargets(m)];
}

function cpuTargets(m: Measurements): Target[] {
  const gateway = figure(m, 0, 'gateway-quentli');
  const baseline = figure(m, 0, 'baseline-quentli');
  if (gateway === undefined || baseline === undefined) return [];
  const cpuRatio = gateway.cpuMicrosPerRequest / baseline.cpuMicrosPerRequest;
  // The floor (no GraphQL at all) says how much of the baseline any gateway must pay anyway.
  const floor = figure(m, 0, 'floor-quentli');
  const floorNote = floor === undefined ? '' : `; floor without GraphQL ${(floor.cpuMicrosPerRequest / baseline.cpuMicrosPerRequest).toFixed(2)} x baseline`;
  const rpsRatio = gateway.requestsPerSecond / baseline.requestsPerSecond;
  const perRound = (pick: (round: ScenarioFigures['rounds'][number]) => number) =>
    gateway.rounds.map((round, i) => ratio(pick(round), baseline.rounds[i] === undefined ? NaN : pick(baseline.rounds[i]))).join(', ');
  return [
    {
      id: 'cpu-per-request',
      description: 'gateway quentliCustomers(first: 20) CPU per request <= 0.6 x baseline (upstream latency 0)',
      measured: cpuRatio,
      limit: 0.6,
      unit: 'x baseline',
      pass: cpuRatio <= 0.6,
      detail: `${gateway.cpuMicrosPerRequest.toFixed(0)} vs ${baseline.cpuMicrosPerRequest.toFixed(0)} µs/request; per round ${perRound((r) => r.cpuMicrosPerRequest)}${floorNote}`,
    },
    {
      id: 'throughput',
      description: 'gateway quentliCustomers(first: 20) req/s >= 1.5 x baseline (upstream latency 0)',
      measured: rpsRatio,
      limit: 1.5,
      unit: 'x baseline',
      pass: rpsRatio >= 1.5,
      detail: `${gateway.requestsPerSecond.toFixed(0)} vs ${baseline.requestsPerSecond.toFixed(0)} req/s; per round ${perRound((r) => r.requestsPerSecond)}`,
    },
  ];
}

function latencyTargets(m: Measurements): Target[] {
  const latency = Math.max(...m.sets.map((set) => set.upstreamLatencyMs));
  const direct = figure(m, latency, 'direct-quentli');
  const directNxlink = figure(m, latency, 'direct-nxlink');
  const targets: Target[] = [];
  const overhead = (id: ScenarioId, against: ScenarioFigures | undefined, label: string) => {
    const gateway = figure(m, latency, id);
    if (gateway === undefined || against === undefined) return;
    const measured = gateway.p50Ms - against.p50Ms;
    targets.push({
      id: `latency-${id}`,
      description: `p50 of ${gateway.label} within ${LATENCY_SLACK_MS} ms of the ${label} p50 (upstream latency ${latency} ms)`,
      measured,
      limit: LATENCY_SLACK_MS,
      unit: 'ms over',
      pass: measured <= LATENCY_SLACK_MS,
      detail: `${gateway.p50Ms.toFixed(2)} vs ${against.p50Ms.toFixed(2)} ms`,
    });
  };
  overhead('gateway-quentli', direct, 'direct Quentli call');
  overhead('gateway-nxlink', directNxlink, 'direct NXLink call');

  const customers = figure(m, latency, 'gateway-customers');
  if (customers !== undefined && direct !== undefined && directNxlink !== undefined) {
    // Two rounds of parallel calls (both lists, then the link look-ups): each as slow as the slower upstream.
    const roundTrip = Math.max(direct.p50Ms, directNxlink.p50Ms);
    const limit = 2 * roundTrip + LATENCY_SLACK_MS;
    targets.push({
      id: 'latency-gateway-customers',
      description: `p50 of customers(first: 50) + links <= 2 upstream round trips + ${LATENCY_SLACK_MS} ms (upstream latency ${latency} ms)`,
      measured: customers.p50Ms,
      limit,
      unit: 'ms',
      pass: customers.p50Ms <= limit,
      detail: `round trip = slower direct p50 (Quentli ${direct.p50Ms.toFixed(2)}, NXLink ${directNxlink.p50Ms.toFixed(2)} ms)`,
    });
  }
  return targets;
}

function callTarget(probe: CallProbe): Target {
  const measured = probe.perRequest.quentli + probe.perRequest.nxlink;
  const limit = probe.bound.quentli + probe.bound.nxlink;
  return {
    id: `upstream-calls-${probe.scenario}`,
    description: `upstream calls per request of ${probe.scenario} at most the minimum`,
    measured,
    limit,
    unit: 'calls',
    pass: probe.perRequest.quentli <= probe.bound.quentli && probe.perRequest.nxlink <= probe.bound.nxlink,
    detail: `Quentli ${fmt(probe.perRequest.quentli)} (max ${probe.bound.quentli}), NXLink ${fmt(probe.perRequest.nxlink)} (max ${probe.bound.nxlink}), over ${probe.requests} sequential requests`,
  };
}

function memoryTargets(m: Measurements): Target[] {
  const afterLoad = Math.max(...m.memory.rssMbAfterLoad.map((entry) => entry.rssMb));
  const targets: Target[] = [
    {
      id: 'memory-after-load',
      description: `gateway RSS after load < ${MB_AFTER_LOAD} MB`,
      measured: afterLoad,
      limit: MB_AFTER_LOAD,
      unit: 'MB',
      pass: afterLoad < MB_AFTER_LOAD,
      detail: `after each load set: ${m.memory.rssMbAfterLoad.map((e) => `${e.rssMb.toFixed(0)} MB (latency ${e.upstreamLatencyMs} ms)`).join(', ')}; peak ${m.memory.peakRssMb.toFixed(0)} MB`,
    },
  ];
  if (m.walk !== undefined) {
    const growth = m.walk.rssMbAfter - m.walk.rssMbBefore;
    targets.push({
      id: 'memory-walk',
      description: `a walk through all ${m.walk.customers} customers ends within ${MB_WALK_GROWTH} MB RSS of where it started`,
      measured: growth,
      limit: MB_WALK_GROWTH,
      unit: 'MB growth',
      pass: growth <= MB_WALK_GROWTH,
      detail: `${m.walk.rssMbBefore.toFixed(1)} -> ${m.walk.rssMbAfter.toFixed(1)} MB (peak during walk ${m.walk.rssMbPeakDuring.toFixed(1)} MB)`,
    });
  }
  return targets;
}

function figure(m: Measurements, upstreamLatencyMs: number, id: ScenarioId): ScenarioFigures | undefined {
  return m.sets.find((set) => set.upstreamLatencyMs === upstreamLatencyMs)?.scenarios.find((s) => s.scenario === id);
}

function ratio(a: number, b: number): string {
  return (a / b).toFixed(2);
}

function fmt(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toFixed(2);
}
