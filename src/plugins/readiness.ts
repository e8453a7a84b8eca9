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

/**
 * `GET /readiness`: a plain path comparison (Yoga's useReadinessCheck matches a URLPattern on
 * every request, which costs a noticeable share of a cheap request).
 */
export function useReadiness(state: ReadinessState): Plugin {
  return {
    onRequest: ({ request, url, fetchAPI, endResponse }) => {
      if (url.pathname === '/readiness' && (request.method === 'GET' || request.method === 'HEAD')) {
        endResponse(readiness(fetchAPI, state));
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
