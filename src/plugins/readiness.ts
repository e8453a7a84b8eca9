import type { Plugin } from 'graphql-yoga';
import type { Upstreams } from '../context.ts';
import type { RedisStatus } from '../shared/redis.ts';

export interface ReadinessState {
  /** True once a graceful shutdown has begun. */
  draining(): boolean;
  upstreams: Upstreams;
  /** The shared Redis, when REDIS_URL is set: shown, never required to serve. */
  redisStatus?: (() => RedisStatus) | undefined;
}

const LIVE = JSON.stringify({ live: true });

/**
 * `GET /health` (liveness: the process answers) and `GET /readiness`: plain path comparisons
 * (Yoga's useReadinessCheck matches a URLPattern on every request, which costs a noticeable
 * share of a cheap request; its health check answers an empty body to any URL ending in
 * /health, so yoga.ts turns it off).
 */
export function useReadiness(state: ReadinessState): Plugin {
  return {
    onRequest: ({ request, url, fetchAPI, endResponse }) => {
      if (request.method !== 'GET' && request.method !== 'HEAD') return;
      if (url.pathname === '/readiness') endResponse(readiness(fetchAPI, state));
      else if (url.pathname === '/health') {
        endResponse(new fetchAPI.Response(LIVE, { status: 200, headers: { 'content-type': 'application/json' } }));
      }
    },
  };
}

/**
 * Ready unless shutting down or every upstream's circuit is open (then nothing could be served).
 * One failing upstream leaves the gateway ready: the other source's fields still answer. The
 * body shows each breaker, so an operator sees a degraded upstream either way. Redis is shown
 * too (`up`, `down`, or `off` without REDIS_URL) but never decides: without it every replica
 * serves on in-process state.
 */
function readiness(fetchAPI: { Response: typeof Response }, state: ReadinessState): Response {
  const policies = [state.upstreams.quentli.policy, state.upstreams.nxlink.policy];
  const draining = state.draining();
  const ready = !draining && !policies.every((policy) => policy.failingFast());
  const body = {
    ready,
    draining,
    upstreams: Object.fromEntries(policies.map((policy) => [policy.source, policy.breakerState()])),
    redis: state.redisStatus?.() ?? 'off',
  };
  return new fetchAPI.Response(JSON.stringify(body), {
    status: ready ? 200 : 503,
    headers: { 'content-type': 'application/json' },
  });
}
