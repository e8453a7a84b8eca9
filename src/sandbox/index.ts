import { IANAZone } from 'luxon';
import type { FaultSwitch } from './faults.ts';
import type { RecordedRequest } from './http.ts';
import { nxlinkBehaviour } from './nxlink-server.ts';
import { seedNxlink } from './nxlink-seed.ts';
import { NxlinkStore } from './nxlink-store.ts';
import { quentliBehaviour } from './quentli-server.ts';
import { seedQuentli } from './quentli-seed.ts';
import { QuentliStore } from './quentli-store.ts';
import { planSeed } from './seed.ts';
import { UpstreamServer } from './upstream-server.ts';
import { ZoneClock } from './zone-clock.ts';
import type { SandboxQuirk } from './quirks.ts';

export type { Fault, FaultSwitch } from './faults.ts';
export type { RecordedRequest } from './http.ts';
export type { QuentliCustomer, QuentliMetadata } from './quentli-record.ts';
export type { NxlinkCustomer, NxlinkTag } from './nxlink-record.ts';
export type { NxlinkInsert } from './nxlink-store.ts';
export type { Paging as NxlinkPaging } from './nxlink-paging.ts';
export type { QuentliStore } from './quentli-store.ts';
export type { NxlinkStore } from './nxlink-store.ts';
export { SANDBOX_QUIRKS, isSandboxQuirk, isUnreadableRecord, type SandboxQuirk } from './quirks.ts';

export interface SandboxOptions {
  /** Default '127.0.0.1'. */
  host?: string;
  /** Default 0: an ephemeral port. */
  quentliPort?: number;
  nxlinkPort?: number;
  /** Default 300. */
  customersPerSource?: number;
  /** Default 1; the same seed gives identical data. */
  seed?: number;
  /** The Bearer key Quentli accepts. */
  quentliApiKey: string;
  nxlink: {
    accessKey: string;
    accessSecret: string;
    /** Decimal digits; may exceed 2^53. */
    tenantId: string;
    appKey: string;
    /** IANA zone in which created_at/updated_at are written. */
    timeZone: string;
  };
  /** Behave the other plausible way where the documentation is silent (see quirks.ts). */
  quirks?: readonly SandboxQuirk[];
}

export interface SandboxUpstream<Store> {
  /** Origin, e.g. http://127.0.0.1:41234. */
  url: string;
  faults: FaultSwitch;
  /** Every request received (rejected ones included), in order. */
  readonly requests: readonly RecordedRequest[];
  resetRequests(): void;
  store: Store;
}

export interface Sandbox {
  quentli: SandboxUpstream<QuentliStore>;
  nxlink: SandboxUpstream<NxlinkStore>;
  close(): Promise<void>;
}

const MAX_CUSTOMERS = 1_000_000;

/** Seeds both upstreams and starts them on loopback (or `host`). */
export async function startSandbox(options: SandboxOptions): Promise<Sandbox> {
  const { host = '127.0.0.1', quentliPort = 0, nxlinkPort = 0, customersPerSource = 300, seed = 1 } = options;
  validate(options, customersPerSource, seed);
  const plan = planSeed(seed, customersPerSource);
  const clock = new ZoneClock(options.nxlink.timeZone);

  const quentliSeed = seedQuentli(plan.quentli, plan.random.fork('quentli'));
  const quentliStore = new QuentliStore(quentliSeed.seeded, quentliSeed.organizationId, plan.people);
  const context = { tenantId: BigInt(options.nxlink.tenantId), clock, random: plan.random.fork('nxlink') };
  const latest = plan.nxlink.reduce((max, c) => Math.max(max, c.createdAtMs), 0);
  const nxlinkStore = new NxlinkStore(seedNxlink(plan.nxlink, context), latest, context, plan.people);

  const quirks = new Set(options.quirks ?? []);
  const quentli = new UpstreamServer(quentliBehaviour(quentliStore, options.quentliApiKey, quirks), false);
  const nxlink = new UpstreamServer(
    nxlinkBehaviour(nxlinkStore, options.nxlink, quirks, options.nxlink.timeZone),
    true,
  );
  try {
    await quentli.start(host, quentliPort);
    await nxlink.start(host, nxlinkPort);
  } catch (error) {
    await Promise.all([quentli.close(), nxlink.close()]);
    throw error;
  }
  let closing: Promise<void> | undefined;
  return {
    quentli: upstream(quentli, quentliStore),
    nxlink: upstream(nxlink, nxlinkStore),
    close: () => (closing ??= Promise.all([quentli.close(), nxlink.close()]).then(() => undefined)),
  };
}

function upstream<Store>(server: UpstreamServer, store: Store): SandboxUpstream<Store> {
  return {
    url: server.url,
    faults: server.faults,
    get requests() {
      return server.requests;
    },
    resetRequests: () => server.resetRequests(),
    store,
  };
}

function validate(options: SandboxOptions, customersPerSource: number, seed: number): void {
  const problems: string[] = [];
  if (!Number.isSafeInteger(customersPerSource) || customersPerSource < 0 || customersPerSource > MAX_CUSTOMERS) {
    problems.push(`customersPerSource must be a whole number from 0 to ${MAX_CUSTOMERS}`);
  }
  if (!Number.isSafeInteger(seed)) problems.push('seed must be a whole number');
  if (options.quentliApiKey === '') problems.push('quentliApiKey must not be empty');
  const { accessKey, accessSecret, tenantId, appKey, timeZone } = options.nxlink;
  if (accessKey === '' || accessSecret === '' || appKey === '')
    problems.push('nxlink accessKey, accessSecret and appKey must not be empty');
  if (!/^[0-9]{1,19}$/.test(tenantId) || BigInt(tenantId) > 2n ** 63n - 1n) {
    problems.push('nxlink.tenantId must be decimal digits of a 64-bit integer');
  }
  if (!IANAZone.isValidZone(timeZone)) problems.push(`nxlink.timeZone must be an IANA time zone, got "${timeZone}"`);
  if (problems.length > 0) throw new RangeError(`Invalid sandbox options: ${problems.join('; ')}`);
}
