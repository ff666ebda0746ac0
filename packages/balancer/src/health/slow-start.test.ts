import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { checkSlowStartStrategy, resolveSlowStart, SlowStart } from './slow-start.js';

describe('SlowStart (nginx slow_start)', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('gives the full weight until the backend comes back, then ramps it up linearly', () => {
    const ramp = new SlowStart(10_000);
    expect(ramp.share()).toBe(1);
    ramp.begin();
    vi.advanceTimersByTime(2_500);
    expect(ramp.share()).toBe(0.25);
    vi.advanceTimersByTime(5_000);
    expect(ramp.share()).toBe(0.75);
    vi.advanceTimersByTime(2_500);
    expect(ramp.share()).toBe(1);
  });

  it('never gives a share of 0, and nothing to ramp with slowStart 0', () => {
    const ramp = new SlowStart(10_000);
    ramp.begin();
    expect(ramp.share()).toBeGreaterThan(0);
    const off = new SlowStart(0);
    off.begin();
    expect(off.share()).toBe(1);
  });

  it('names the option by its path', () => {
    expect(resolveSlowStart('backends[1]', { slowStart: '30s' }, 0)).toBe(30_000);
    expect(resolveSlowStart('backends[1]', {}, 5_000)).toBe(5_000);
    expect(() => resolveSlowStart('', { slowStart: 'soon' }, 0)).toThrowError(
      /^option "slowStart" must be a duration/,
    );
  });

  it('refuses a slow start with the hash strategy, naming where it was set', () => {
    const given = (index: number) => ({ path: `backends[${index}].slowStart`, value: '30s' });
    expect(() => checkSlowStartStrategy('round-robin', [30_000], given)).not.toThrow();
    expect(() => checkSlowStartStrategy('hash', [0, 0], given)).not.toThrow();
    expect(() => checkSlowStartStrategy('hash', [0, 30_000], given)).toThrowError(
      'option "backends[1].slowStart" must be 0 with the hash strategy',
    );
  });
});
