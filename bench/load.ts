import autocannon from 'autocannon';

export interface HttpCall {
  method: 'GET' | 'POST';
  path: string;
  headers: Record<string, string>;
  body?: string;
}

export interface LoadSpec {
  origin: string;
  call: HttpCall;
  /** Called before every request when each must differ (a fresh NXLink signature). */
  refresh?: (() => HttpCall) | undefined;
  /** False for an answer that is not what the scenario asked for (e.g. GraphQL errors). */
  verify: (body: string) => boolean;
  connections: number;
  durationSeconds: number;
}

export interface LoadSample {
  /** 2xx answers. */
  ok: number;
  /** Requests sent, answered or not: each may have reached the upstreams. */
  sent: number;
  /** Connection errors and timeouts. */
  errors: number;
  non2xx: number;
  /** 2xx answers whose body failed `verify`. */
  mismatches: number;
  seconds: number;
  /** Latency of each 2xx answer, in ms with sub-millisecond precision. */
  latenciesMs: number[];
}

/**
 * Drives one scenario with autocannon. Latencies are collected from its `response` events
 * rather than its histogram, which keeps whole milliseconds only: the latency targets are
 * 2 ms wide.
 */
export function runLoad(spec: LoadSpec): Promise<LoadSample> {
  const latenciesMs: number[] = [];
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const refresh = spec.refresh;
    const instance = autocannon(
      {
        url: `${spec.origin}${spec.call.path}`,
        method: spec.call.method,
        headers: spec.call.headers,
        ...(spec.call.body === undefined ? {} : { body: spec.call.body }),
        connections: spec.connections,
        duration: spec.durationSeconds,
        verifyBody: (body) => spec.verify(String(body)),
        ...(refresh === undefined ? {} : { requests: [{ setupRequest: (request) => ({ ...request, ...refresh() }) }] }),
      },
      (error: unknown, result) => {
        if (error !== null && error !== undefined) {
          reject(error instanceof Error ? error : new Error(String(error)));
          return;
        }
        resolve({
          ok: latenciesMs.length,
          sent: result.requests.sent,
          errors: result.errors,
          non2xx: result.non2xx,
          mismatches: result.mismatches,
          seconds: (performance.now() - started) / 1000,
          latenciesMs,
        });
      },
    );
    instance.on('response', (_client, statusCode, _bytes, responseTime) => {
      if (statusCode >= 200 && statusCode < 300) latenciesMs.push(responseTime);
    });
  });
}

/** Nearest-rank percentile of unsorted samples; NaN when there are none. */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) return NaN;
  const sorted = Float64Array.from(samples).sort();
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank] ?? NaN;
}
