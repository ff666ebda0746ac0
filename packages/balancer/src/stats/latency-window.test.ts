import { describe, expect, it } from 'vitest';
import { LatencyWindow, quantile, WINDOW_SECONDS } from './latency-window.js';

describe('LatencyWindow', () => {
  it('gives p50 and p99 within a bucket of the recorded latencies', () => {
    const window = new LatencyWindow();
    const now = 50_000;
    for (let i = 1; i <= 1_000; i++) window.record(i / 10, now); // 0.1 ms … 100 ms
    const buckets = window.buckets(now);
    const p50 = quantile(buckets, 0.5)!;
    const p99 = quantile(buckets, 0.99)!;
    expect(p50).toBeGreaterThanOrEqual(50);
    expect(p50).toBeLessThanOrEqual(50 * 1.19);
    expect(p99).toBeGreaterThanOrEqual(99);
    expect(p99).toBeLessThanOrEqual(99 * 1.19);
  });

  it(`forgets what is older than ${WINDOW_SECONDS} s, second by second`, () => {
    const window = new LatencyWindow();
    window.record(500, 1_000); // second 1: slow
    for (let i = 0; i < 10; i++) window.record(2, 5_500); // second 5: fast
    expect(quantile(window.buckets(5_900), 0.99)).toBeGreaterThanOrEqual(500);
    // Second 11: second 1 has left the window, second 5 has not.
    const later = window.buckets(11_200);
    expect(later.reduce((sum, count) => sum + count, 0)).toBe(10);
    expect(quantile(later, 0.99)).toBeLessThan(3);
    // A new sample in second 11 reuses second 1's slot, cleared first.
    window.record(3, 11_300);
    expect(window.buckets(11_400).reduce((sum, count) => sum + count, 0)).toBe(11);
    expect(quantile(window.buckets(16_000), 0.5)).toBeLessThan(4);
    expect(quantile(window.buckets(30_000), 0.5)).toBeNull();
  });

  it('puts what is above the last bound in the last bucket, and says its finite bound', () => {
    const window = new LatencyWindow();
    window.record(10 * 60_000, 0); // 10 minutes
    window.record(0, 0);
    window.record(Number.NaN, 0);
    expect(quantile(window.buckets(0), 1)).toBeGreaterThan(100_000);
    expect(Number.isFinite(quantile(window.buckets(0), 1))).toBe(true);
    expect(quantile(window.buckets(0), 0.5)).toBe(0.05);
  });
});
