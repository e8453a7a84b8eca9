import { percentile, type LoadSample } from './load.ts';
import type { UpstreamCalls } from './sandbox.ts';
import type { Scenario, ScenarioId } from './scenarios.ts';

/** One scenario driven for one round. */
export interface Window {
  sample: LoadSample;
  /** CPU time of the process the requests went to, during the window. */
  cpuMicros: number;
  /** Upstream requests the sandbox received during the window (and the settling pause after it). */
  calls: UpstreamCalls;
  /** Of the process the requests went to, right after the window. */
  rssMb: number;
}

export interface RoundFigures {
  requestsPerSecond: number;
  p50Ms: number;
  cpuMicrosPerRequest: number;
}

export interface ScenarioFigures {
  scenario: ScenarioId;
  label: string;
  upstreamLatencyMs: number;
  requests: number;
  seconds: number;
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  /** Of the process the requests went to: the sandbox for direct calls. */
  cpuMicrosPerRequest: number;
  /** Sandbox requests per request sent; null for direct calls, which are the upstream requests. */
  upstreamCallsPerRequest: UpstreamCalls | null;
  rssMbAfter: number;
  errors: number;
  non2xx: number;
  mismatches: number;
  rounds: RoundFigures[];
}

export function summarize(scenario: Scenario, upstreamLatencyMs: number, windows: readonly Window[]): ScenarioFigures {
  const sum = (pick: (window: Window) => number) => windows.reduce((total, window) => total + pick(window), 0);
  const requests = sum((w) => w.sample.ok);
  const sent = sum((w) => w.sample.sent);
  const seconds = sum((w) => w.sample.seconds);
  const latencies = windows.flatMap((w) => w.sample.latenciesMs);
  const direct = scenario.endpoint === 'quentli' || scenario.endpoint === 'nxlink';
  return {
    scenario: scenario.id,
    label: scenario.label,
    upstreamLatencyMs,
    requests,
    seconds,
    requestsPerSecond: requests / seconds,
    p50Ms: percentile(latencies, 50),
    p99Ms: percentile(latencies, 99),
    cpuMicrosPerRequest: sum((w) => w.cpuMicros) / requests,
    upstreamCallsPerRequest: direct
      ? null
      : { quentli: sum((w) => w.calls.quentli) / sent, nxlink: sum((w) => w.calls.nxlink) / sent },
    rssMbAfter: windows.at(-1)?.rssMb ?? NaN,
    errors: sum((w) => w.sample.errors),
    non2xx: sum((w) => w.sample.non2xx),
    mismatches: sum((w) => w.sample.mismatches),
    rounds: windows.map((w) => ({
      requestsPerSecond: w.sample.ok / w.sample.seconds,
      p50Ms: percentile(w.sample.latenciesMs, 50),
      cpuMicrosPerRequest: w.cpuMicros / w.sample.ok,
    })),
  };
}

/** Exact upstream calls of a few sequential requests, against the most they may be. */
export interface CallProbe {
  scenario: ScenarioId;
  requests: number;
  perRequest: UpstreamCalls;
  bound: UpstreamCalls;
}

export interface WalkFigures {
  requests: number;
  customers: number;
  distinctCustomers: number;
  seconds: number;
  upstreamCalls: UpstreamCalls;
  cpuMicrosPerRequest: number;
  rssMbBefore: number;
  rssMbAfter: number;
  rssMbPeakDuring: number;
}

export interface MemoryFigures {
  /** Gateway RSS after each set of load, by upstream latency. */
  rssMbAfterLoad: { upstreamLatencyMs: number; rssMb: number }[];
  /** Since the gateway started (VmHWM). */
  peakRssMb: number;
}
