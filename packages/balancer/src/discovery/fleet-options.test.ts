import { describe, expect, it } from 'vitest';
import { refusedConfig } from '../internal/refused-config.js';
import { resolveOptions } from '../options.js';

const wrong = refusedConfig;

describe('fleets', () => {
  it('needs no backends, reads a pid file or a socket, and names each fleet after its file', () => {
    const { backends, fleets } = resolveOptions({
      fleets: [{ control: '/run/web.pid' }, { control: '/run/api.pid.sock', name: 'api-2' }],
      maxFails: 3,
    });
    expect(backends).toEqual([]);
    expect(fleets.map(({ name, target }) => ({ name, target }))).toEqual([
      { name: 'web', target: { pidFile: '/run/web.pid' } },
      { name: 'api-2', target: { socketPath: '/run/api.pid.sock' } },
    ]);
    expect(fleets[0]!.backend.health.maxFails).toBe(3);
  });

  it('weighs each slot by weights (an object or an array), else by weight', () => {
    const [byObject, byArray] = resolveOptions({
      fleets: [
        { control: 'a.pid', weight: 2, weights: { 1: 5 } },
        { control: 'b.pid', weights: [4, 1] },
      ],
    }).fleets;
    expect([0, 1, 2].map((slot) => byObject!.weightOf(slot))).toEqual([2, 5, 2]);
    expect([0, 1, 2].map((slot) => byArray!.weightOf(slot))).toEqual([4, 1, 1]);
  });

  it('keeps static backends next to the fleets', () => {
    const { backends, fleets } = resolveOptions({
      backends: ['http://127.0.0.1:3001'],
      fleets: [{ control: 'a.pid' }],
    });
    expect([backends.length, fleets.length]).toEqual([1, 1]);
  });

  it('names the wrong field of a fleet', () => {
    const cases: [unknown, string][] = [
      [{ fleets: {} }, 'fleets'],
      [{ fleets: ['a.pid'] }, 'fleets[0]'],
      [{ fleets: [{}] }, 'fleets[0].control'],
      [{ fleets: [{ control: 'a.pid', weight: 0 }] }, 'fleets[0].weight'],
      [{ fleets: [{ control: 'a.pid', weights: { 1: 1.5 } }] }, 'fleets[0].weights.1'],
      [{ fleets: [{ control: 'a.pid', weights: { one: 1 } }] }, 'fleets[0].weights'],
      [{ fleets: [{ control: 'a.pid', weights: [1, 'x'] }] }, 'fleets[0].weights[1]'],
      [{ fleets: [{ control: 'a.pid', maxFails: -1 }] }, 'fleets[0].maxFails'],
      [{ fleets: [{ control: 'a.pid', healthPath: 'healthz' }] }, 'fleets[0].healthPath'],
      [{ fleets: [{ control: 'a.pid', name: 'a b' }] }, 'fleets[0].name'],
      [{ fleets: [{ control: 'a.pid', backup: true }] }, 'fleets[0].backup'],
      [{ fleets: [{ control: 'x/a.pid' }, { control: 'y/a.pid' }] }, 'fleets[1].name'],
      [
        { fleets: [{ control: 'a.pid', slowStart: '1s' }], strategy: 'hash' },
        'fleets[0].slowStart',
      ],
      [{ fleets: [] }, 'backends'],
    ];
    for (const [config, option] of cases) {
      expect(wrong(config).option, JSON.stringify(config)).toBe(option);
    }
  });
});
