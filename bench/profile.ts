import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** The parts of a V8 .cpuprofile that self time needs. */
interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] }[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

export interface FunctionTime {
  name: string;
  /** file:line, shortened to the package or source path. */
  location: string;
  group: string;
  selfMs: number;
  /** Share of the busy (non-idle) time. */
  percent: number;
}

export interface ProfileSummary {
  path: string;
  /** Start-up left out: samples of the first `skippedMs` of the profile. */
  skippedMs: number;
  busyMs: number;
  idleMs: number;
  top: FunctionTime[];
  groups: { group: string; selfMs: number; percent: number }[];
  /** The gateway's own functions by inclusive time (with all they call), each counted once per sample. */
  gatewayInclusive: { name: string; location: string; totalMs: number; percent: number }[];
}

/** The main thread's profile of process `pid` (node names them CPU.<date>.<time>.<pid>.<thread>.<n>). */
export function findProfile(dir: string, pid: number): string | undefined {
  let names: string[];
  try {
    names = readdirSync(dir).filter((name) => name.endsWith('.cpuprofile') && name.includes(`.${pid}.`));
  } catch {
    return undefined;
  }
  const main = names.find((name) => name.includes(`.${pid}.0.`));
  const largest = [...names].sort((a, b) => statSync(join(dir, b)).size - statSync(join(dir, a)).size)[0];
  const chosen = main ?? largest;
  return chosen === undefined ? undefined : join(dir, chosen);
}

/** `skipMs`: the start-up (module loading, compiling TypeScript) is not what the load costs. */
export function summarizeProfile(path: string, skipMs = 0, topCount = 20): ProfileSummary {
  const profile = JSON.parse(readFileSync(path, 'utf8')) as CpuProfile;
  const selfByNode = selfTimes(profile, skipMs * 1000);
  const byFunction = new Map<string, FunctionTime>();
  let idleMs = 0;
  for (const node of profile.nodes) {
    const selfMs = (selfByNode.get(node.id) ?? 0) / 1000;
    const { functionName, url, lineNumber } = node.callFrame;
    if (functionName === '(idle)') {
      idleMs += selfMs;
      continue;
    }
    const location = url === '' ? '' : `${shortPath(url)}:${lineNumber + 1}`;
    const key = `${functionName}@${location}`;
    const entry = byFunction.get(key) ?? {
      name: functionName || '(anonymous)',
      location,
      group: groupOf(functionName, url),
      selfMs: 0,
      percent: 0,
    };
    entry.selfMs += selfMs;
    byFunction.set(key, entry);
  }
  const functions = [...byFunction.values()];
  const busyMs = functions.reduce((sum, entry) => sum + entry.selfMs, 0);
  for (const entry of functions) entry.percent = (100 * entry.selfMs) / busyMs;
  return {
    path,
    skippedMs: skipMs,
    busyMs,
    idleMs,
    top: functions.sort((a, b) => b.selfMs - a.selfMs).slice(0, topCount),
    groups: groupTotals(functions, busyMs),
    gatewayInclusive: gatewayInclusive(profile, selfByNode, busyMs, topCount),
  };
}

function gatewayInclusive(profile: CpuProfile, selfByNode: ReadonlyMap<number, number>, busyMs: number, count: number) {
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const totals = new Map<string, { name: string; location: string; totalMs: number; percent: number }>();
  for (const [nodeId, micros] of selfByNode) {
    const seen = new Set<string>();
    for (let id: number | undefined = nodeId; id !== undefined; id = parent.get(id)) {
      const frame = byId.get(id)?.callFrame;
      if (frame === undefined || !isGatewayCode(frame.url)) continue;
      const location = `${shortPath(frame.url)}:${frame.lineNumber + 1}`;
      const key = `${frame.functionName}@${location}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const entry = totals.get(key) ?? { name: frame.functionName || '(anonymous)', location, totalMs: 0, percent: 0 };
      entry.totalMs += micros / 1000;
      totals.set(key, entry);
    }
  }
  const entries = [...totals.values()].sort((a, b) => b.totalMs - a.totalMs).slice(0, count);
  for (const entry of entries) entry.percent = (100 * entry.totalMs) / busyMs;
  return entries;
}

/**
 * Self time per node, as DevTools counts it: each sample lasts until the next one starts
 * (`timeDeltas[i + 1]`), the last one until the profile ends.
 */
function selfTimes(profile: CpuProfile, skipMicros: number): Map<number, number> {
  const self = new Map<number, number>();
  let timestamp = profile.startTime;
  const starts = profile.timeDeltas.map((delta) => (timestamp += delta));
  profile.samples.forEach((nodeId, index) => {
    if ((starts[index] ?? profile.endTime) - profile.startTime < skipMicros) return;
    const duration = (starts[index + 1] ?? profile.endTime) - (starts[index] ?? profile.endTime);
    self.set(nodeId, (self.get(nodeId) ?? 0) + Math.max(0, duration));
  });
  return self;
}

function groupTotals(functions: readonly FunctionTime[], busyMs: number): ProfileSummary['groups'] {
  const totals = new Map<string, number>();
  for (const entry of functions) totals.set(entry.group, (totals.get(entry.group) ?? 0) + entry.selfMs);
  return [...totals]
    .map(([group, selfMs]) => ({ group, selfMs, percent: (100 * selfMs) / busyMs }))
    .sort((a, b) => b.selfMs - a.selfMs);
}

/** Ordered: the first rule whose pattern is in the URL names the group. */
const GROUPS: readonly [string, string][] = [
  ['/graphql/execution/', 'graphql execution'],
  ['/graphql/validation/', 'graphql validation'],
  ['/graphql/language/', 'graphql parse/print'],
  ['/graphql/utilities/', 'graphql utilities'],
  ['/graphql/type/', 'graphql type/scalars'],
  ['/graphql/', 'graphql other'],
  ['graphql-armor', 'graphql-armor (query limits)'],
  ['/@pothos/', 'pothos'],
  ['/graphql-scalars/', 'graphql-scalars'],
  ['/@envelop/', 'envelop'],
  ['/graphql-yoga/', 'graphql-yoga'],
  ['/@graphql-yoga/', 'graphql-yoga'],
  ['/@whatwg-node/', 'whatwg-node (Fetch API on node:http)'],
  ['/@graphql-tools/', 'graphql-tools'],
  ['/undici/', 'undici'],
  ['/pino', 'pino logging'],
  ['/dataloader/', 'DataLoader'],
  ['/p-limit/', 'p-limit'],
  ['/zod/', 'zod validation'],
  ['/luxon/', 'luxon'],
  ['/qs/', 'qs'],
  ['/tsx/', 'tsx/esbuild (start-up)'],
  ['/esbuild/', 'tsx/esbuild (start-up)'],
  ['node:', 'node core'],
];

function groupOf(functionName: string, url: string): string {
  if (url === '') {
    if (functionName === '(garbage collector)') return 'garbage collection';
    if (functionName === '(program)') return '(program: native, unattributed)';
    if (/^(parse|stringify)$/.test(functionName)) return 'JSON (native)';
    return 'native builtins';
  }
  if (isGatewayCode(url)) return `gateway ${shortPath(url)}`;
  return GROUPS.find(([pattern]) => url.includes(pattern))?.[1] ?? 'other';
}

/** The gateway's own code: its TypeScript sources, or the JavaScript built from them (dist/). */
const GATEWAY_CODE = /\/(src|dist)\//;

function isGatewayCode(url: string): boolean {
  return GATEWAY_CODE.test(url) && !url.includes('node_modules');
}

function shortPath(url: string): string {
  const path = url.replace(/^file:\/\//, '');
  const modules = path.lastIndexOf('node_modules/');
  if (modules !== -1) return path.slice(modules + 'node_modules/'.length);
  const source = GATEWAY_CODE.exec(path);
  return source === null ? path : path.slice(source.index + 1);
}
