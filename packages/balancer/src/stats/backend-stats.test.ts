import { describe, expect, it } from 'vitest';
import { peer } from '../../test/support/peers.js';
import { mergeStats, snapshotOf, statsOf } from './backend-stats.js';

/** A backend's snapshot after `latencies` answers (ms) of status 200, at time `now`. */
function seenBy(latencies: number[], now = 5_000) {
  const backend = peer('a');
  for (const ms of latencies) {
    backend.acquire();
    backend.counters.answered(200, ms, now);
    backend.release();
  }
  return { backend, snapshot: snapshotOf(backend, backend.weight, now) };
}

describe('backend stats', () => {
  it('sums the counts of several processes and takes the percentiles of their merged buckets', () => {
    const fast = seenBy(Array.from({ length: 90 }, () => 1));
    const slow = seenBy(Array.from({ length: 10 }, () => 200));
    slow.backend.counters.failed('KF_BALANCER_UPSTREAM_RESET', true);
    const merged = mergeStats(fast.snapshot, [
      { ...snapshotOf(slow.backend, 1, 5_000), state: 'down' },
    ]);
    expect(merged).toMatchObject({
      state: 'down', // the worst any process sees
      requests: 100,
      retries: 1,
      responses: { '2xx': 100 },
      errors: { reset: 1, connect: 0 },
      latency: { count: 100 },
    });
    expect(merged.latency.p50).toBeLessThan(1.2); // 90 of 100 took 1 ms
    expect(merged.latency.p99).toBeGreaterThanOrEqual(200); // the slow process's tail
    expect(merged).not.toHaveProperty('latencyBuckets');
  });

  it('without buckets (a removed backend), keeps the worst percentiles', () => {
    const fast = statsOf(seenBy([1, 1, 1]).snapshot);
    const slow = statsOf(seenBy([300]).snapshot);
    expect(mergeStats(fast, [slow]).latency).toMatchObject({ count: 4, p99: slow.latency.p99 });
  });

  it('says slow-start while the weight ramps up after the backend came back', () => {
    const ramping = peer('a', { slowStartMs: 60_000 });
    ramping.joined();
    expect(snapshotOf(ramping, 0.5, 0).state).toBe('slow-start');
    expect(snapshotOf(peer('b'), 1, 0).state).toBe('up');
  });
});
