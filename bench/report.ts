import type { DeferredFigures } from './deferred.ts';
import type { CallProbe, ScenarioFigures, WalkFigures } from './figures.ts';
import type { ProfileSummary } from './profile.ts';
import { trickGains, type Measurements, type Target, type VariantFigures } from './targets.ts';

export function formatReport(m: Measurements, targets: readonly Target[], profile: ProfileSummary | undefined): string {
  return [
    ...m.sets.flatMap((set) => [`Upstream latency ${set.upstreamLatencyMs} ms`, scenarioTable(set.scenarios), '']),
    'Upstream calls per request (sequential probes, exact)',
    probeTable(m.probes),
    '',
    ...(m.walk === undefined ? [] : [walkLine(m.walk), '']),
    ...(m.deferred.length === 0
      ? []
      : [
          'Deferred customers(first: 50) + links over multipart/mixed, one client: the first part, the last, the same query whole (ms)',
          deferredTable(m.deferred),
          '',
        ]),
    ...(m.variants.length === 0
      ? []
      : [
          'Speed tricks at upstream latency 0: CPU µs per request with every trick on / with this one off; the share it saves (median of paired rounds, and their range)',
          trickTable(m),
          '',
          'In-flight de-duplication at upstream latency 0 (off in the main gateway and every figure above)',
          dedupTable(m.variants),
          '',
        ]),
    'Targets',
    targetTable(targets),
    '',
    summaryLine(targets),
    ...(profile === undefined ? [] : ['', profileReport(profile)]),
  ].join('\n');
}

function scenarioTable(figures: readonly ScenarioFigures[]): string {
  return table(
    ['scenario', 'req/s', 'p50 ms', 'p99 ms', 'CPU µs/req', 'upstream/req Q+N', 'RSS MB', 'bad', 'req/s per round'],
    figures.map((f) => [
      f.label,
      f.requestsPerSecond.toFixed(0),
      f.p50Ms.toFixed(2),
      f.p99Ms.toFixed(2),
      f.cpuMicrosPerRequest.toFixed(0),
      f.upstreamCallsPerRequest === null
        ? '-'
        : `${f.upstreamCallsPerRequest.quentli.toFixed(2)}+${f.upstreamCallsPerRequest.nxlink.toFixed(2)}`,
      f.rssMbAfter.toFixed(0),
      String(f.errors + f.non2xx + f.mismatches),
      f.rounds.map((round) => round.requestsPerSecond.toFixed(0)).join(' '),
    ]),
  );
}

function trickTable(m: Measurements): string {
  const rows = trickGains(m);
  const scenarios = [...new Set(rows.flatMap((row) => row.gains.map((gain) => gain.scenario)))];
  return table(
    ['trick', ...scenarios],
    rows.map((row) => [
      row.trick,
      ...scenarios.map((id) => {
        const gain = row.gains.find((candidate) => candidate.scenario === id);
        return gain === undefined
          ? '-'
          : `${gain.on.toFixed(0)} / ${gain.off.toFixed(0)}: ${(gain.gain * 100).toFixed(1)}% (${(gain.low * 100).toFixed(0)}..${(gain.high * 100).toFixed(0)})`;
      }),
    ]),
  );
}

function dedupTable(variants: readonly VariantFigures[]): string {
  const off = variants.find((variant) => variant.variant === 'control');
  const on = variants.find((variant) => variant.variant === 'dedup-on');
  if (off === undefined || on === undefined) return '(not measured)';
  return table(
    ['scenario', 'dedup', 'req/s', 'p50 ms', 'CPU µs/req', 'upstream/req Q+N'],
    on.scenarios.flatMap((withDedup) => {
      const without = off.scenarios.find((figures) => figures.scenario === withDedup.scenario);
      return [...(without === undefined ? [] : [['off', without] as const]), ['on', withDedup] as const].map(
        ([state, f]) => [
          f.label,
          state,
          f.requestsPerSecond.toFixed(0),
          f.p50Ms.toFixed(2),
          f.cpuMicrosPerRequest.toFixed(0),
          f.upstreamCallsPerRequest === null
            ? '-'
            : `${f.upstreamCallsPerRequest.quentli.toFixed(2)}+${f.upstreamCallsPerRequest.nxlink.toFixed(2)}`,
        ],
      );
    }),
  );
}

function probeTable(probes: readonly CallProbe[]): string {
  return table(
    ['scenario', 'Quentli', 'max', 'NXLink', 'max'],
    probes.map((p) => [
      p.scenario,
      p.perRequest.quentli.toFixed(2),
      String(p.bound.quentli),
      p.perRequest.nxlink.toFixed(2),
      String(p.bound.nxlink),
    ]),
  );
}

function walkLine(walk: WalkFigures): string {
  const complete =
    walk.distinctCustomers === walk.customers
      ? ''
      : `  !! ${walk.customers - walk.distinctCustomers} customers seen twice`;
  return [
    `Walk of customers(first: 100): ${walk.distinctCustomers} customers in ${walk.requests} requests, ${walk.seconds.toFixed(1)} s,`,
    `  ${walk.upstreamCalls.quentli} Quentli + ${walk.upstreamCalls.nxlink} NXLink calls, ${walk.cpuMicrosPerRequest.toFixed(0)} µs gateway CPU per page,`,
    `  gateway RSS ${walk.rssMbBefore.toFixed(1)} -> ${walk.rssMbAfter.toFixed(1)} MB (peak ${walk.rssMbPeakDuring.toFixed(1)})${complete}`,
  ].join('\n');
}

function deferredTable(rows: readonly DeferredFigures[]): string {
  return table(
    [
      'upstream latency',
      'requests',
      'round trip p50',
      'first part p50',
      'p99',
      'last part p50',
      'p99',
      'whole p50',
      'p99',
      'parts',
    ],
    rows.map((f) => [
      String(f.upstreamLatencyMs),
      String(f.requests),
      f.roundTripMs.toFixed(2),
      f.firstPartP50Ms.toFixed(2),
      f.firstPartP99Ms.toFixed(2),
      f.lastPartP50Ms.toFixed(2),
      f.lastPartP99Ms.toFixed(2),
      f.wholeP50Ms.toFixed(2),
      f.wholeP99Ms.toFixed(2),
      String(f.partsP50),
    ]),
  );
}

function targetTable(targets: readonly Target[]): string {
  return table(
    ['', 'target', 'measured', 'limit', 'detail'],
    targets.map((t) => [
      t.pass ? 'PASS' : 'FAIL',
      t.description,
      `${t.measured.toFixed(2)} ${t.unit}`,
      t.limit.toFixed(2),
      t.detail,
    ]),
  );
}

function summaryLine(targets: readonly Target[]): string {
  const failed = targets.filter((t) => !t.pass);
  return failed.length === 0
    ? `All ${targets.length} targets met.`
    : `${failed.length} of ${targets.length} targets missed: ${failed.map((t) => t.id).join(', ')}`;
}

function profileReport(profile: ProfileSummary): string {
  return [
    `CPU profile: ${profile.path}`,
    `  busy ${(profile.busyMs / 1000).toFixed(1)} s, idle ${(profile.idleMs / 1000).toFixed(1)} s, after the first ${(profile.skippedMs / 1000).toFixed(1)} s (start-up) of the gateway`,
    '',
    'Top self-time functions',
    table(
      ['self ms', '%', 'function', 'where', 'group'],
      profile.top.map((f) => [f.selfMs.toFixed(0), f.percent.toFixed(1), f.name, f.location || '(native)', f.group]),
    ),
    '',
    'Gateway functions by inclusive time (self + what they call)',
    table(
      ['total ms', '%', 'function', 'where'],
      profile.gatewayInclusive.map((f) => [f.totalMs.toFixed(0), f.percent.toFixed(1), f.name, f.location]),
    ),
    '',
    'Self time by group',
    table(
      ['self ms', '%', 'group'],
      profile.groups.slice(0, 25).map((g) => [g.selfMs.toFixed(0), g.percent.toFixed(1), g.group]),
    ),
  ].join('\n');
}

/** Left-aligned text, right-aligned numbers. */
function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((title, i) => Math.max(title.length, ...rows.map((row) => (row[i] ?? '').length)));
  const numeric = header.map((_, i) => rows.length > 0 && rows.every((row) => /^[-+0-9.]*$/.test(row[i] ?? '')));
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, i) => (numeric[i] ? cell.padStart(widths[i] ?? 0) : cell.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  return [`  ${line(header)}`, ...rows.map((row) => `  ${line(row)}`)].join('\n');
}
