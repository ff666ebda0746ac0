import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ActiveHealth, resolveHealthCheck } from './active-health.js';
import { PassiveHealth, type BackendState } from './passive-health.js';

/** A backend's health under active checks, with rise 2 and fall 3 (HAProxy's defaults). */
function checked({ mayLeave = true, rise = 2, fall = 3, maxFails = 1 } = {}) {
  const changes: string[] = [];
  const health = new PassiveHealth(
    { maxFails, failTimeoutMs: 10_000 },
    {
      mayLeave: () => mayLeave,
      changed: (state: BackendState, previous: BackendState) =>
        changes.push(`${previous}→${state}`),
    },
    'health-check',
  );
  const active = new ActiveHealth({ rise, fall }, health);
  const record = (...outcomes: boolean[]) => outcomes.forEach((ok) => active.record(ok));
  return { health, record, changes };
}

describe('ActiveHealth (HAProxy check rise / fall)', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('takes a backend out after fall failed checks in a row, not fewer', () => {
    const { health, record, changes } = checked();
    record(false, false, true, false, false);
    expect(health.state).toBe('up');
    record(false);
    expect(health.state).toBe('down');
    expect(changes).toEqual(['up→down']);
  });

  it('brings it back after rise good checks in a row', () => {
    const { health, record, changes } = checked();
    record(false, false, false);
    record(true, false, true);
    expect(health.state).toBe('down');
    record(true);
    expect(health.state).toBe('up');
    expect(changes).toEqual(['up→down', 'down→up']);
  });

  it('brings back a backend passive health took out when its checks pass, not after failTimeout', () => {
    const { health, record, changes } = checked();
    record(true, true, true); // green all along: these do not count towards its return
    health.failed();
    expect(health.state).toBe('down');
    vi.advanceTimersByTime(60_000);
    expect(health.state).toBe('down');
    record(true);
    expect(health.state).toBe('down');
    record(true);
    expect(health.state).toBe('up');
    expect(changes).toEqual(['up→down', 'down→up']);
  });

  it('brings back a drained backend once its checks pass', () => {
    const { health, record, changes } = checked({ rise: 1 });
    health.draining();
    record(false, false, false, false); // still draining: out, whatever fall says
    expect(health.state).toBe('draining');
    record(true);
    expect(changes).toEqual(['up→draining', 'draining→up']);
  });

  it('gives a backend its checks brought back no probation: it needs maxFails failures again', () => {
    const { health, record } = checked({ maxFails: 3 });
    for (let i = 0; i < 3; i++) health.failed();
    record(true, true);
    expect(health.state).toBe('up');
    health.failed();
    health.failed();
    expect(health.state).toBe('up');
    health.failed();
    expect(health.state).toBe('down');
  });

  it('never takes out a lone backend', () => {
    const { health, record } = checked({ mayLeave: false });
    record(false, false, false, false, false, false);
    expect(health.state).toBe('up');
  });
});

describe('resolveHealthCheck', () => {
  it("is off unless asked for; true takes HAProxy's defaults on /readyz", () => {
    expect(resolveHealthCheck(undefined)).toBeUndefined();
    expect(resolveHealthCheck(false)).toBeUndefined();
    expect(resolveHealthCheck(true)).toEqual({
      path: '/readyz',
      intervalMs: 2_000,
      timeoutMs: 1_000,
      rise: 2,
      fall: 3,
    });
    expect(resolveHealthCheck({ path: '/health', interval: '5s', fall: 1 })).toMatchObject({
      path: '/health',
      intervalMs: 5_000,
      fall: 1,
    });
  });

  it('names a wrong field by its path', () => {
    const wrong: [unknown, string][] = [
      [
        { path: 'readyz' },
        'option "healthCheck.path" must be a path starting with "/", got "readyz"',
      ],
      [{ rise: 0 }, 'option "healthCheck.rise" must be an integer ≥ 1, got 0'],
      [{ inter: '2s' }, 'healthCheck.inter'],
      [
        '/readyz',
        'option "healthCheck" must be true, false or { path, interval, timeout, rise, fall }',
      ],
    ];
    for (const [input, message] of wrong) {
      expect(() => resolveHealthCheck(input)).toThrowError(message);
    }
  });
});
