import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { PassiveHealth, resolvePassiveHealth, type BackendState } from './passive-health.js';

function health(maxFails: number, failTimeoutMs = 10_000, mayLeave = true) {
  const changes: string[] = [];
  const tracked = new PassiveHealth(
    { maxFails, failTimeoutMs },
    {
      mayLeave: () => mayLeave,
      changed: (state: BackendState, previous: BackendState) =>
        changes.push(`${previous}→${state}`),
    },
  );
  return { tracked, changes };
}

describe('PassiveHealth (nginx max_fails / fail_timeout)', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('takes a backend out after maxFails failures within failTimeout, for failTimeout', () => {
    const { tracked, changes } = health(3);
    tracked.failed();
    tracked.failed();
    expect(tracked.state).toBe('up');
    tracked.failed();
    expect(tracked.state).toBe('down');
    vi.advanceTimersByTime(9_999);
    expect(tracked.state).toBe('down');
    vi.advanceTimersByTime(1);
    expect(tracked.state).toBe('up');
    expect(changes).toEqual(['up→down', 'down→up']);
  });

  it('forgets failures older than failTimeout', () => {
    const { tracked } = health(2);
    tracked.failed();
    vi.advanceTimersByTime(10_001);
    tracked.failed();
    expect(tracked.state).toBe('up');
  });

  it('keeps counting failures inside the window when a success comes between', () => {
    const { tracked } = health(2);
    tracked.failed();
    tracked.succeeded();
    tracked.failed();
    expect(tracked.state).toBe('down');
  });

  it('lets a recovered backend prove itself: one failure takes it out again, a success clears it', () => {
    const { tracked } = health(3);
    for (let i = 0; i < 3; i++) tracked.failed();
    vi.advanceTimersByTime(10_000);
    tracked.failed();
    expect(tracked.state).toBe('down');
    vi.advanceTimersByTime(10_000);
    tracked.succeeded();
    tracked.failed();
    expect(tracked.state).toBe('up');
  });

  it('never takes a backend out with maxFails 0, nor while it may not leave (a lone backend)', () => {
    const disabled = health(0);
    const lone = health(1, 10_000, false);
    for (let i = 0; i < 5; i++) {
      disabled.tracked.failed();
      lone.tracked.failed();
      lone.tracked.draining();
    }
    expect([disabled.tracked.state, lone.tracked.state]).toEqual(['up', 'up']);
  });

  it('takes a draining backend out at once, and back after failTimeout', () => {
    const { tracked, changes } = health(1, 500);
    tracked.draining();
    expect(tracked.state).toBe('draining');
    vi.advanceTimersByTime(500);
    expect(changes).toEqual(['up→draining', 'draining→up']);
  });

  it('with active checks, leaves the return to them: no timer, and bringBack() ends a drain too', () => {
    const changes: string[] = [];
    const tracked = new PassiveHealth(
      { maxFails: 1, failTimeoutMs: 500 },
      { mayLeave: () => true, changed: (state, previous) => changes.push(`${previous}→${state}`) },
      'health-check',
    );
    tracked.draining();
    vi.advanceTimersByTime(60_000);
    expect(tracked.state).toBe('draining');
    tracked.bringBack();
    tracked.takeOut();
    tracked.bringBack();
    expect(changes).toEqual(['up→draining', 'draining→up', 'up→down', 'down→up']);
  });

  it('names a per-backend option by its path', () => {
    const defaults = { maxFails: 1, failTimeoutMs: 10_000 };
    expect(resolvePassiveHealth('backends[2]', { failTimeout: '30s' }, defaults)).toEqual({
      maxFails: 1,
      failTimeoutMs: 30_000,
    });
    expect(() => resolvePassiveHealth('backends[2]', { maxFails: -1 }, defaults)).toThrowError(
      'option "backends[2].maxFails" must be an integer ≥ 0, got -1',
    );
  });
});
