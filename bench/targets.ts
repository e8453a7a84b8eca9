import type { DeferredFigures } from './deferred.ts';
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

/** One gateway variant's figures, at upstream latency 0 (see measureVariants in run.ts). */
export interface VariantFigures {
  /** `control` (every trick on, de-duplication off), `<trick>-off`, or `dedup-on`. */
  variant: string;
  label: string;
  scenarios: readonly ScenarioFigures[];
  /**
   * Per scenario and round: the share of this variant's CPU per request that the control saves
   * (paired with control windows right before and after; negative: the control spends more).
   * For `<trick>-off` that is what the trick saves.
   */
  sharesSaved: readonly { scenario: ScenarioId; perRound: readonly number[] }[];
}

export interface Measurements {
  sets: readonly { upstreamLatencyMs: number; scenarios: readonly ScenarioFigures[] }[];
  probes: readonly CallProbe[];
  walk: WalkFigures | undefined;
  /** The deferred customers page per upstream latency; empty unless it ran. */
  deferred: readonly DeferredFigures[];
  /** Empty unless the speed tricks were measured. */
  variants: readonly VariantFigures[];
  memory: MemoryFigures;
}

const MB_AFTER_LOAD = 150;
const MB_WALK_GROWTH = 20;
const CPU_VS_BASELINE = 1.2;
const RPS_VS_BASELINE = 0.85;
const NXLINK_VS_QUENTLI = 1.2;
const ROUND_TRIPS_SLACK_MS = 10;
/** A speed trick keeps its place when it saves at least this share of CPU on some scenario. */
export const TRICK_MIN_GAIN = 0.05;

export function evaluateTargets(m: Measurements): Target[] {
  return [
    ...cpuTargets(m),
    ...latencyTargets(m),
    ...deferredTargets(m),
    ...m.probes.map(callTarget),
    ...memoryTargets(m),
    ...trickTargets(m),
  ];
}

function cpuTargets(m: Measurements): Target[] {
  const gateway = figure(m, 0, 'gateway-quentli');
  const baseline = figure(m, 0, 'baseline-quentli');
  const targets: Target[] = [];
  if (gateway !== undefined && baseline !== undefined) {
    const cpuRatio = gateway.cpuMicrosPerRequest / baseline.cpuMicrosPerRequest;
    // The floor (no GraphQL at all) says how much of the baseline any gateway must pay anyway.
    const floor = figure(m, 0, 'floor-quentli');
    const floorNote =
      floor === undefined
        ? ''
        : `; floor without GraphQL ${(floor.cpuMicrosPerRequest / baseline.cpuMicrosPerRequest).toFixed(2)} x baseline`;
    const rpsRatio = gateway.requestsPerSecond / baseline.requestsPerSecond;
    const perRound = (pick: (round: ScenarioFigures['rounds'][number]) => number) =>
      gateway.rounds
        .map((round, i) => ratio(pick(round), baseline.rounds[i] === undefined ? NaN : pick(baseline.rounds[i])))
        .join(', ');
    targets.push(
      {
        id: 'cpu-per-request',
        description: `gateway quentliCustomers(first: 20) CPU per request <= ${CPU_VS_BASELINE} x baseline (upstream latency 0)`,
        measured: cpuRatio,
        limit: CPU_VS_BASELINE,
        unit: 'x baseline',
        pass: cpuRatio <= CPU_VS_BASELINE,
        detail: `${gateway.cpuMicrosPerRequest.toFixed(0)} vs ${baseline.cpuMicrosPerRequest.toFixed(0)} µs/request; per round ${perRound((r) => r.cpuMicrosPerRequest)}${floorNote}`,
      },
      {
        id: 'throughput',
        description: `gateway quentliCustomers(first: 20) req/s >= ${RPS_VS_BASELINE} x baseline (upstream latency 0)`,
        measured: rpsRatio,
        limit: RPS_VS_BASELINE,
        unit: 'x baseline',
        pass: rpsRatio >= RPS_VS_BASELINE,
        detail: `${gateway.requestsPerSecond.toFixed(0)} vs ${baseline.requestsPerSecond.toFixed(0)} req/s; per round ${perRound((r) => r.requestsPerSecond)}`,
      },
    );
  }
  const nxlink = figure(m, 0, 'gateway-nxlink');
  if (gateway !== undefined && nxlink !== undefined) {
    const nxlinkRatio = nxlink.cpuMicrosPerRequest / gateway.cpuMicrosPerRequest;
    targets.push({
      id: 'nxlink-cpu',
      description: `gateway nxlinkCustomers(first: 20) CPU per request <= ${NXLINK_VS_QUENTLI} x quentliCustomers(first: 20) (upstream latency 0)`,
      measured: nxlinkRatio,
      limit: NXLINK_VS_QUENTLI,
      unit: 'x Quentli',
      pass: nxlinkRatio <= NXLINK_VS_QUENTLI,
      detail: `${nxlink.cpuMicrosPerRequest.toFixed(0)} vs ${gateway.cpuMicrosPerRequest.toFixed(0)} µs/request`,
    });
  }
  return targets;
}

function latencyTargets(m: Measurements): Target[] {
  const latency = Math.max(...m.sets.map((set) => set.upstreamLatencyMs));
  const direct = figure(m, latency, 'direct-quentli');
  const directNxlink = figure(m, latency, 'direct-nxlink');
  const customers = figure(m, latency, 'gateway-customers');
  if (customers === undefined || direct === undefined || directNxlink === undefined) return [];
  // Two rounds of parallel calls (both lists, then the link look-ups): each as slow as the slower upstream.
  const roundTrip = Math.max(direct.p50Ms, directNxlink.p50Ms);
  const limit = 2 * roundTrip + ROUND_TRIPS_SLACK_MS;
  return [
    {
      id: 'latency-gateway-customers',
      description: `p50 of customers(first: 50) + links, one client, <= 2 upstream round trips + ${ROUND_TRIPS_SLACK_MS} ms (upstream latency ${latency} ms)`,
      measured: customers.p50Ms,
      limit,
      unit: 'ms',
      pass: customers.p50Ms <= limit,
      detail: `round trip = slower direct p50 (Quentli ${direct.p50Ms.toFixed(2)}, NXLink ${directNxlink.p50Ms.toFixed(2)} ms)`,
    },
  ];
}

/**
 * Issue 18: a deferred customers(first: 50) with both links sends its first part (the page)
 * after one upstream round trip (both lists in parallel), at the highest upstream latency run.
 */
function deferredTargets(m: Measurements): Target[] {
  const latency = Math.max(...m.deferred.map((figures) => figures.upstreamLatencyMs));
  const figures = m.deferred.find((candidate) => candidate.upstreamLatencyMs === latency);
  if (figures === undefined) return [];
  const limit = figures.roundTripMs + ROUND_TRIPS_SLACK_MS;
  return [
    {
      id: 'latency-deferred-first-part',
      description: `p50 of the first part of a deferred customers(first: 50) + links <= 1 upstream round trip + ${ROUND_TRIPS_SLACK_MS} ms (upstream latency ${latency} ms)`,
      measured: figures.firstPartP50Ms,
      limit,
      unit: 'ms',
      pass: figures.firstPartP50Ms <= limit,
      detail: `last part ${figures.lastPartP50Ms.toFixed(2)} ms, whole query without @defer ${figures.wholeP50Ms.toFixed(2)} ms; round trip = slower direct p50 (Quentli ${figures.directQuentliP50Ms.toFixed(2)}, NXLink ${figures.directNxlinkP50Ms.toFixed(2)} ms)`,
    },
  ];
}

/** What each speed trick saves: the median over rounds of its paired share of CPU per request, per scenario. */
export function trickGains(m: Measurements): {
  trick: string;
  gains: { scenario: ScenarioId; gain: number; low: number; high: number; on: number; off: number }[];
}[] {
  const main = m.variants.find((variant) => variant.variant === 'control');
  if (main === undefined) return [];
  return m.variants
    .filter((variant) => variant.variant.endsWith('-off'))
    .map((variant) => ({
      trick: variant.variant.slice(0, -'-off'.length),
      gains: variant.sharesSaved.flatMap(({ scenario, perRound }) => {
        const gains = [...perRound].sort((x, y) => x - y);
        const on = main.scenarios.find((figures) => figures.scenario === scenario);
        const off = variant.scenarios.find((figures) => figures.scenario === scenario);
        if (gains.length === 0 || on === undefined || off === undefined) return [];
        return [
          {
            scenario,
            gain: median(gains),
            low: gains[0]!,
            high: gains.at(-1)!,
            on: on.cpuMicrosPerRequest,
            off: off.cpuMicrosPerRequest,
          },
        ];
      }),
    }));
}

function median(sorted: readonly number[]): number {
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

function trickTargets(m: Measurements): Target[] {
  return trickGains(m).map(({ trick, gains }) => {
    const best = gains.reduce((a, b) => (b.gain > a.gain ? b : a));
    return {
      id: `trick-${trick}`,
      description: `speed trick ${trick} saves >= ${TRICK_MIN_GAIN * 100}% CPU per request on some scenario`,
      measured: best.gain * 100,
      limit: TRICK_MIN_GAIN * 100,
      unit: '%',
      pass: best.gain >= TRICK_MIN_GAIN,
      detail: gains
        .map(
          (g) =>
            `${g.scenario} ${(g.gain * 100).toFixed(1)}% (rounds ${(g.low * 100).toFixed(0)} to ${(g.high * 100).toFixed(0)}%)`,
        )
        .join(', '),
    };
  });
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
