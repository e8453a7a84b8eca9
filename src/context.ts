import { randomUUID } from 'node:crypto';
import type { Tracer } from '@opentelemetry/api';
import type { GraphQLError } from 'graphql';
import { createNxlinkLoaders, type NxlinkLoaders } from './loaders/nxlink.ts';
import { createPeopleLoaders, type PeopleLoaders } from './loaders/people.ts';
import { createQuentliLoaders, type QuentliLoaders } from './loaders/quentli.ts';
import type { GatewayMetrics } from './observability/metrics.ts';
import { NO_CACHE, type SharedCache } from './shared/cache.ts';
import { traceHeaders, type TracedRequest } from './observability/tracing.ts';
import { createRequestObserver, type UpstreamTimings } from './observability/request-observer.ts';
import type { NxlinkClient, QuentliClient } from './upstream/clients.ts';
import { Deadline, type CallOptions } from './upstream/call.ts';
import type { ScanBudget } from './paging/nxlink-window.ts';

export interface Upstreams {
  quentli: QuentliClient;
  nxlink: NxlinkClient;
}

export interface GatewayContext {
  /** The caller's `x-request-id` when it is a sane token, else a fresh UUID; echoed back. */
  requestId: string;
  /** What every upstream call of this request runs under: cancellation, deadline, observation. */
  call: CallOptions & { signal: AbortSignal; deadlineAt: number };
  upstreams: Upstreams;
  loaders: { quentli: QuentliLoaders; nxlink: NxlinkLoaders; people: PeopleLoaders };
  /** Upstream calls of this request per source, for its log line. */
  upstreamTimings: UpstreamTimings;
  /**
   * Errors that accompany data rather than replace it: a source that failed while the field
   * still answers with what the other source returned. Added to the response's `errors`
   * without a `path` (a path would mean a null there).
   */
  partialErrors: GraphQLError[];
  /** NXLink pages this request may still read for filters the gateway applies itself. */
  scanBudget: ScanBudget;
  /**
   * Holds the operation span once execution starts, when tracing is on. An object, so that the
   * upstream calls see the span set on Yoga's copy of this context.
   */
  tracing: TracedRequest;
  /** Stops the deadline timer once the response is out. */
  end(): void;
}

export interface ContextDependencies {
  upstreams: Upstreams;
  metrics: GatewayMetrics;
  /** Every upstream call of one GraphQL request ends within this many milliseconds. */
  requestTimeoutMs: number;
  tracer?: Tracer | undefined;
  /** Look-ups shared across requests (and replicas); none when absent. */
  cache?: SharedCache | undefined;
}

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

const requestIds = new WeakMap<Request, string>();

/**
 * The request's id: the caller's `x-request-id` when it is a sane token, else a fresh UUID. The
 * same for every part of one request, also one refused before it has a context (a document that
 * does not parse, a bad body), so that its log line and its answer carry it too.
 */
export function requestIdOf(request: Request): string {
  let id = requestIds.get(request);
  if (id === undefined) {
    const given = request.headers.get('x-request-id');
    id = given !== null && REQUEST_ID.test(given) ? given : randomUUID();
    requestIds.set(request, id);
  }
  return id;
}

export function createContext(dependencies: ContextDependencies, request: Request): GatewayContext {
  const { upstreams, metrics, requestTimeoutMs, tracer, cache = NO_CACHE } = dependencies;
  const tracing: TracedRequest = {};
  const observer = createRequestObserver({ metrics, tracer, parentSpan: () => tracing.span });
  const deadlineAt = Date.now() + requestTimeoutMs;
  // Made on the first upstream call: a request that needs none (a probe, `__typename`, a bad
  // document) pays for no controller, timer or listener.
  let deadline: Deadline | undefined;
  const call = {
    get signal(): AbortSignal {
      deadline ??= new Deadline(request.signal, deadlineAt - Date.now(), "the request's deadline passed");
      return deadline.signal;
    },
    deadlineAt,
    observe: observer.attempt,
    traceHeaders: () => traceHeaders(tracing.span),
  };
  // Each source's loaders are made when a resolver first asks for them.
  let quentli: QuentliLoaders | undefined;
  let nxlink: NxlinkLoaders | undefined;
  let people: PeopleLoaders | undefined;
  const loaders = {
    get quentli(): QuentliLoaders {
      return (quentli ??= createQuentliLoaders(upstreams.quentli, call, observer.batch, cache));
    },
    get nxlink(): NxlinkLoaders {
      return (nxlink ??= createNxlinkLoaders(upstreams.nxlink, call, observer.batch, cache));
    },
    get people(): PeopleLoaders {
      return (people ??= createPeopleLoaders({
        quentli: () => loaders.quentli,
        nxlink: () => loaders.nxlink,
        quentliListItems: upstreams.quentli.encoding.maxListItems,
        quentliTieBreak: upstreams.quentli.encoding.tieBreakSortKey,
        observeBatch: observer.batch,
      }));
    },
  };

  return {
    requestId: requestIdOf(request),
    call,
    upstreams,
    loaders,
    upstreamTimings: observer.timings,
    partialErrors: [],
    scanBudget: { pagesLeft: upstreams.nxlink.scanPages },
    tracing,
    end: () => deadline?.end(),
  };
}
