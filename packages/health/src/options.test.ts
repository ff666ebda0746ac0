import { InvalidOptionError } from '@koa-fleet/errors';
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { checks, defineCheck, health, healthFleetPlugin } from './index.js';
import { resolveOptions } from './options.js';

describe('options are validated at construction, naming the option', () => {
  it.each([
    [{ checkTimeout: 'soon' }, 'checkTimeout'],
    [{ exposeDetails: 'friends' }, 'exposeDetails'],
    [{ exposeDetails: 'token' }, 'token'],
    [{ paths: { ready: 'readyz' } }, 'paths.ready'],
    [{ paths: { ready: '/x', live: '/x' } }, 'paths'],
    [{ paths: { fleetz: '/f' } }, 'paths.fleetz'],
    [{ checks: [{ name: 'db' }] }, 'checks[0].check'],
    [{ checks: [defineCheck('a', () => {}), defineCheck('a', () => {})] }, 'checks[1].name'],
    [{ metrics: { prefix: 'bad-prefix' } }, 'metrics.prefix'],
    [{ metrics: { buckets: [0.1, -1] } }, 'metrics.buckets[1]'],
    [{ lifecycle: { state: 'ready' } }, 'lifecycle'],
    [{ fleet: {} }, 'fleet'],
    [{ registry: {} }, 'registry'],
    [{ shutdownDelay: -5 }, 'shutdownDelay'],
    [{ shutdownSignals: ['TERM'] }, 'shutdownSignals'],
    [{ shutdownDelays: '1s' }, 'shutdownDelays'],
  ])('rejects %j', (options, option) => {
    let error: unknown;
    try {
      health(options as never);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(InvalidOptionError);
    expect(error).toMatchObject({ code: 'KF_INVALID_OPTION', option });
  });

  it('validates the built-in checks and the fleet plugin the same way', () => {
    expect(() => checks.memory({ maxRss: 'lots' })).toThrowError(/option "maxRss"/);
    expect(() => checks.eventLoopDelay({ warnMs: 500, failMs: 100 })).toThrowError(
      /option "failMs"/,
    );
    expect(() => checks.redis({} as never)).toThrowError(/option "client"/);
    expect(() => defineCheck('x', () => {}, { timeout: 0 })).toThrowError(/option "timeout"/);
    expect(() => healthFleetPlugin({ gatherTimeout: 'never' })).toThrowError(
      /option "gatherTimeout"/,
    );
  });
});

describe('resolveOptions', () => {
  it("composes each feature's defaults", () => {
    const resolved = resolveOptions({});
    expect(resolved).toMatchObject({
      paths: { live: '/livez', ready: '/readyz', metrics: '/metrics' },
      checks: [],
      lifecycle: undefined,
      startReady: true,
      fleet: undefined,
      fleetTimeoutMs: 3_000,
      metrics: { prefix: 'koa_fleet_' },
      exposure: { exposeDetails: 'loopback', token: undefined, trustProxy: false },
      shutdown: { delayMs: 5_000, signals: ['SIGTERM'], onShutdown: undefined },
    });
    expect(resolved.registry).toBeInstanceOf(Registry);
  });

  it('hands the checks the middleware timeouts, and leaves signals to a supervisor', () => {
    const check = defineCheck('db', () => {});
    const lifecycle = { state: 'ready' as const, onChange: () => () => {} };
    const resolved = resolveOptions({ checks: [check], checkTimeout: '2s', lifecycle });
    expect(resolved.checks).toEqual([{ check, timeoutMs: 2_000, intervalMs: 1_000 }]);
    expect(resolved.lifecycle).toBe(lifecycle);
    expect(resolved.shutdown.signals).toEqual([]);
  });

  it('takes a registry and a worker IPC by their shape', () => {
    const registry = new Registry();
    const fleet = { request: async () => undefined, handle: () => () => {} };
    expect(resolveOptions({ registry, fleet: fleet as never })).toMatchObject({ registry, fleet });
  });
});
