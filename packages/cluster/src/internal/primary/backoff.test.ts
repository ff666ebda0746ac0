import { describe, expect, it } from 'vitest';
import { restartDelay } from './backoff.js';

const policy = { initial: 100, max: 10_000 };

describe('restartDelay', () => {
  it('doubles per attempt between half and all of the exponential delay', () => {
    expect(restartDelay(1, policy, () => 0)).toBe(50);
    expect(restartDelay(1, policy, () => 1)).toBe(100);
    expect(restartDelay(3, policy, () => 0)).toBe(200);
    expect(restartDelay(3, policy, () => 1)).toBe(400);
  });

  it('never exceeds the ceiling however many attempts', () => {
    expect(restartDelay(50, policy, () => 1)).toBe(10_000);
    expect(restartDelay(50, policy, () => 0)).toBe(5_000);
  });

  it('spreads restarts of slots that crashed together', () => {
    const delays = new Set(Array.from({ length: 20 }, () => restartDelay(4, policy)));
    expect(delays.size).toBeGreaterThan(1);
  });
});
