import { describe, expect, it } from 'vitest';
import { resolveBackends, type BackendConfig, type BackendDefaults } from '../backend.js';
import { PASSIVE_HEALTH_DEFAULTS } from '../health/passive-health.js';
import { planBackends } from './backend-plan.js';

const A = 'http://127.0.0.1:3001';
const B = 'http://127.0.0.1:3002';
const C = 'http://127.0.0.1:3003';
const defaults: BackendDefaults = { health: PASSIVE_HEALTH_DEFAULTS, slowStartMs: 0 };
const backends = (...entries: (string | BackendConfig)[]) => resolveBackends(entries, defaults);

describe('the backend plan of a reload', () => {
  it('is empty for the same backends, written another way', () => {
    expect(
      planBackends(
        backends(A, { url: B, weight: 2 }),
        backends({ url: `${A}/` }, { url: B, weight: 2, failTimeout: '10s' }),
      ),
    ).toEqual({ add: [], remove: [], reweight: [], reconfigure: [] });
  });

  it('adds the new URLs, removes the missing ones and re-weighs the rest', () => {
    const plan = planBackends(backends(A, B), backends({ url: B, weight: 3 }, C));
    expect(plan.add.map((backend) => backend.url)).toEqual([C]);
    expect(plan.remove).toEqual([A]);
    expect(plan.reweight).toEqual([{ url: B, weight: 3, previous: 1 }]);
    expect(plan.reconfigure).toEqual([]);
  });

  it('reconfigures a backend whose other settings changed, with its weight', () => {
    const plan = planBackends(
      backends(A, B),
      backends({ url: A, backup: true }, { url: B, weight: 2, maxFails: 3, slowStart: '5s' }),
    );
    expect(plan.reconfigure.map((backend) => backend.url)).toEqual([A, B]);
    expect(plan.reconfigure[1]).toMatchObject({
      weight: 2,
      slowStartMs: 5_000,
      health: { maxFails: 3 },
    });
    expect(plan.reweight).toEqual([{ url: B, weight: 2, previous: 1 }]);
    expect(plan.add).toEqual([]);
    expect(plan.remove).toEqual([]);
  });

  it('takes a changed top-level default as a change of every backend that inherits it', () => {
    const later = resolveBackends([A, { url: B, maxFails: 1 }], {
      ...defaults,
      health: { ...PASSIVE_HEALTH_DEFAULTS, maxFails: 5 },
    });
    expect(planBackends(backends(A, B), later).reconfigure.map((backend) => backend.url)).toEqual([
      A,
    ]);
  });
});
