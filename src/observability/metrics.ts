import type { UpstreamSource } from '../upstream/errors.ts';
import type { BreakerState } from '../upstream/call.ts';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/**
 * The gateway's own Prometheus metrics, in a registry per gateway (so several gateways in one
 * process, as in tests, never share counters). GraphQL timings come from Yoga's Prometheus
 * plugin, registered in the same registry.
 */
export class GatewayMetrics {
  readonly registry = new Registry();

  readonly operations = new Counter({
    name: 'gateway_graphql_operations_total',
    help: 'GraphQL operations by name and outcome (ok, partial: data with errors, error: no data).',
    labelNames: ['operation', 'outcome'] as const,
    registers: [this.registry],
  });

  readonly upstreamCalls = new Counter({
    name: 'gateway_upstream_calls_total',
    help: 'Calls to the upstream APIs by source, route and status (HTTP status, NXLink code, or error code).',
    labelNames: ['source', 'route', 'status'] as const,
    registers: [this.registry],
  });

  readonly upstreamDuration = new Histogram({
    name: 'gateway_upstream_duration_seconds',
    help: 'Duration of upstream calls by source and route.',
    labelNames: ['source', 'route'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });

  readonly loaderBatchSize = new Histogram({
    name: 'gateway_dataloader_batch_size',
    help: 'Keys per DataLoader batch, by loader.',
    labelNames: ['loader'] as const,
    buckets: [1, 2, 5, 10, 20, 50, 100],
    registers: [this.registry],
  });

  readonly sharedReads = new Counter({
    name: 'gateway_upstream_reads_shared_total',
    help: 'Upstream reads that shared an identical read already in flight instead of calling (the calls saved by in-flight de-duplication), by source.',
    labelNames: ['source'] as const,
    registers: [this.registry],
  });

  readonly breakerState = new Gauge({
    name: 'gateway_circuit_breaker_state',
    help: 'Circuit breaker per upstream: 0 closed, 1 half-open (probing), 2 open (failing fast).',
    labelNames: ['source'] as const,
    registers: [this.registry],
  });

  readonly cacheLookups = new Counter({
    name: 'gateway_cache_lookups_total',
    help: 'Shared cache look-ups by cache (quentli.byId, nxlink.byId), tier (redis, memory) and result (hit, miss).',
    labelNames: ['cache', 'tier', 'result'] as const,
    registers: [this.registry],
  });

  readonly redisUp = new Gauge({
    name: 'gateway_redis_up',
    help: 'Whether the shared Redis is reachable: 1 up, 0 down (in-process state serves meanwhile). Absent without REDIS_URL.',
    registers: [],
  });

  readonly budgetWaits = new Counter({
    name: 'gateway_upstream_budget_waits_total',
    help: 'Waits of upstream attempts for the next slice of the shared request budget (QUENTLI_MAX_RPS / NXLINK_MAX_RPS), by source.',
    labelNames: ['source'] as const,
    registers: [this.registry],
  });

  readonly budgetRefusals = new Counter({
    name: 'gateway_upstream_budget_refusals_total',
    help: 'Upstream attempts refused (UPSTREAM_RATE_LIMITED) because the shared budget was spent until past the request deadline, by source.',
    labelNames: ['source'] as const,
    registers: [this.registry],
  });

  readonly unreadableFields = new Counter({
    name: 'gateway_upstream_unreadable_fields_total',
    help: 'Fields of upstream records the gateway could not read (served as null with an UPSTREAM_BAD_RESPONSE field error), by source and field.',
    labelNames: ['source', 'field'] as const,
    registers: [this.registry],
  });

  /** Registers gateway_redis_up: only deployments with Redis show it. */
  trackRedis(up: boolean): void {
    if (this.registry.getSingleMetric('gateway_redis_up') === undefined) this.registry.registerMetric(this.redisUp);
    this.redisUp.set(up ? 1 : 0);
  }

  /** Operation names come from clients: a bounded set of them becomes label values. */
  private readonly operationNames = new Set<string>();

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'gateway_' });
    for (const source of ['QUENTLI', 'NXLINK'] as const) this.setBreakerState(source, 'closed');
  }

  setBreakerState(source: UpstreamSource, state: BreakerState): void {
    this.breakerState.set({ source }, BREAKER_STATE_VALUE[state]);
  }

  operationLabel(name: string | undefined): string {
    if (name === undefined) return 'anonymous';
    if (!/^[A-Za-z_][A-Za-z0-9_]{0,63}$/.test(name)) return 'other';
    if (this.operationNames.has(name)) return name;
    if (this.operationNames.size >= MAX_OPERATION_NAMES) return 'other';
    this.operationNames.add(name);
    return name;
  }
}

const MAX_OPERATION_NAMES = 200;

const BREAKER_STATE_VALUE: Record<BreakerState, number> = { closed: 0, 'half-open': 1, open: 2 };
