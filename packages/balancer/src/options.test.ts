import { describe, expect, it } from 'vitest';
import { refusedConfig } from './internal/refused-config.js';
import { resolveOptions } from './options.js';

const wrong = refusedConfig;

describe('resolveOptions', () => {
  it("fills in nginx's defaults", () => {
    const resolved = resolveOptions({ backends: ['http://127.0.0.1:3001'] });
    expect(resolved).toMatchObject({
      port: 8080,
      host: '0.0.0.0',
      strategy: { name: 'round-robin' },
      backends: [
        {
          url: 'http://127.0.0.1:3001',
          weight: 1,
          backup: false,
          maxConns: 0,
          health: { maxFails: 1, failTimeoutMs: 10_000 },
        },
      ],
      retry: { tries: 0, nextUpstreamTimeoutMs: 0, retryBodyLimit: 65_536 },
      timeouts: { connectMs: 5_000, headersMs: 60_000, idleMs: 60_000, totalMs: 0 },
      keepAlive: { connections: 64, idleTimeoutMs: 4_000 },
      retryAfterSeconds: 1,
    });
    expect([...resolved.retry.nextUpstream]).toEqual(['error', 'timeout']);
  });

  it('names every wrong field by its dotted path', () => {
    const cases: [unknown, string][] = [
      [{ backends: ['http://a:1', { url: 'http://b:2', weight: 0 }] }, 'backends[1].weight'],
      [{ backends: [{ url: 'http://b:2', maxConns: -1 }] }, 'backends[0].maxConns'],
      [{ backends: [{ url: 'https://b:2/api' }] }, 'backends[0].url'],
      [{ backends: ['ftp://b:2'] }, 'backends[0]'],
      [{ backends: [{ url: 'http://b:2', wieght: 2 }] }, 'backends[0].wieght'],
      [{ backends: ['http://b:2', 'http://b:2'] }, 'backends[1]'],
      [{ backends: ['http://b:2', { url: 'http://b:2/' }] }, 'backends[1].url'],
      [{ backends: [] }, 'backends'],
      [{ backends: ['http://b:2'], timeouts: { connect: '5 parsecs' } }, 'timeouts.connect'],
      [{ backends: ['http://b:2'], keepAlive: { connections: 0 } }, 'keepAlive.connections'],
      [{ backends: ['http://b:2'], strategy: 'fastest' }, 'strategy'],
      [
        { backends: ['http://b:2'], strategy: { name: 'hash', key: 'ip', nodes: 3 } },
        'strategy.nodes',
      ],
      [{ backends: ['http://b:2'], port: 70_000 }, 'port'],
      [{ backends: ['http://b:2'], prot: 80 }, 'prot'],
    ];
    for (const [config, path] of cases) expect(wrong(config).option, path).toBe(path);
  });

  it('says what the field must be', () => {
    expect(wrong({ backends: ['http://a:1', { url: 'http://b:2', weight: 0 }] }).message).toBe(
      'option "backends[1].weight" must be an integer ≥ 1, got 0',
    );
  });

  it('takes active checks and slow start, for every backend or one', () => {
    const resolved = resolveOptions({
      backends: ['http://a:1', { url: 'http://b:2', slowStart: '1m' }],
      healthCheck: { path: '/ready', rise: 1 },
      slowStart: '30s',
    });
    expect(resolved.healthCheck).toEqual({
      path: '/ready',
      intervalMs: 2_000,
      timeoutMs: 1_000,
      rise: 1,
      fall: 3,
    });
    expect(resolved.backends.map((backend) => backend.slowStartMs)).toEqual([30_000, 60_000]);
    expect(resolveOptions({ backends: ['http://a:1'] })).toMatchObject({
      healthCheck: undefined,
      backends: [{ slowStartMs: 0 }],
    });
  });

  it('refuses slowStart with the hash strategy, where it was set', () => {
    const hash = { name: 'hash' } as const;
    expect(wrong({ backends: ['http://a:1'], slowStart: '30s', strategy: hash }).message).toBe(
      'option "slowStart" must be 0 with the hash strategy (a key belongs to one backend: there is no weight to ramp), got "30s"',
    );
    expect(
      wrong({ backends: ['http://a:1', { url: 'http://b:2', slowStart: 5 }], strategy: hash })
        .option,
    ).toBe('backends[1].slowStart');
    expect(wrong({ backends: ['http://a:1'], healthCheck: { fall: 0 } }).option).toBe(
      'healthCheck.fall',
    );
  });
});
