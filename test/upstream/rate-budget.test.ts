import { describe, expect, it } from 'vitest';
import { GatewayMetrics } from '../../src/observability/metrics.ts';
import { createRateBudget } from '../../src/upstream/rate-budget.ts';
import { UpstreamError } from '../../src/upstream/errors.ts';

const budget = (maxRps: number) =>
  createRateBudget({ source: 'QUENTLI', maxRps, keyPrefix: 'test:', replicas: 1, metrics: new GatewayMetrics() });

describe('request budget (in-process, no Redis)', () => {
  it('lets at most maxRps requests start in any wall-clock second, spread over it', async () => {
    const limiter = budget(4);
    const starts: number[] = [];
    await Promise.all(
      Array.from({ length: 10 }, async () => {
        await limiter.take({ deadlineAt: Date.now() + 10_000 });
        starts.push(Date.now());
      }),
    );
    const perSecond = new Map<number, number>();
    for (const at of starts) perSecond.set(Math.floor(at / 1000), (perSecond.get(Math.floor(at / 1000)) ?? 0) + 1);
    expect(Math.max(...perSecond.values())).toBeLessThanOrEqual(4);
  }, 15_000);

  it('refuses with UPSTREAM_RATE_LIMITED, at once, when the budget is spent until past the deadline', async () => {
    const limiter = budget(1);
    const deadlineAt = Date.now() + 50;
    const outcomes = await Promise.allSettled(Array.from({ length: 3 }, () => limiter.take({ deadlineAt })));
    const refused = outcomes.filter((outcome) => outcome.status === 'rejected');
    expect(refused.length).toBeGreaterThanOrEqual(2);
    const reason = (refused[0] as PromiseRejectedResult).reason;
    expect(reason).toBeInstanceOf(UpstreamError);
    expect(reason).toMatchObject({ code: 'UPSTREAM_RATE_LIMITED', source: 'QUENTLI' });
    expect(reason.message).toMatch(/budget/);
  });
});
