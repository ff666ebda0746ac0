import { describe, expect, it } from 'vitest';
import { createBalancer } from '../balancer.js';
import type { BalancerConfig } from '../options.js';
import type { ExportOptions } from './export-options.js';
import { exportHaproxyConfig } from './haproxy-config.js';
import { exportNginxConfig } from './nginx-config.js';

const messageOf = (run: () => unknown): string => {
  try {
    run();
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('accepted');
};

describe.each([
  ['nginx', exportNginxConfig],
  ['haproxy', exportHaproxyConfig],
] as const)('export %s', (_engine, exportConfig) => {
  it('refuses fleets: their workers are only known while the fleet runs', () => {
    expect(
      messageOf(() => exportConfig({ fleets: [{ control: '/run/app.pid' }] } as BalancerConfig)),
    ).toMatch(/^option "fleets" must be absent from an export/);
  });

  it('refuses a config with the very error createBalancer() throws', () => {
    const configs: unknown[] = [
      { backends: [] },
      { backends: ['http://127.0.0.1:3001', { url: 'http://127.0.0.1:3002', weight: 0 }] },
      { backends: ['http://127.0.0.1:3001/app'] },
      { backends: ['http://127.0.0.1:3001'], strategy: { name: 'hash', key: 'body' } },
      { backends: ['http://127.0.0.1:3001'], strategy: 'hash', slowStart: '10s' },
      { backends: ['http://127.0.0.1:3001'], nextUpstream: ['off', 'error'] },
      { backends: ['http://127.0.0.1:3001'], timeouts: { connect: 'soon' } },
      { backends: ['http://127.0.0.1:3001'], healthCheck: { path: 'readyz' } },
      { backends: ['http://127.0.0.1:3001'], trustProxy: ['10.0.0.0/40'] },
      { backends: ['http://127.0.0.1:3001'], workers: 2 },
    ];
    for (const config of configs) {
      const expected = messageOf(() => createBalancer(config as BalancerConfig));
      expect(
        messageOf(() => exportConfig(config as BalancerConfig)),
        JSON.stringify(config),
      ).toBe(expected);
    }
  });

  it('refuses port 0, which the balancer takes but an engine cannot pick', () => {
    expect(messageOf(() => exportConfig({ backends: ['http://127.0.0.1:3001'], port: 0 }))).toBe(
      'option "port" must be a port from 1 to 65535 (an exported config cannot pick a free one), got 0',
    );
    expect(
      messageOf(() =>
        exportConfig({
          backends: ['http://127.0.0.1:3001'],
          tls: { cert: 'c.pem', key: 'k.pem', httpRedirectPort: 0 },
        }),
      ),
    ).toMatch(/^option "tls.httpRedirectPort" must be a port from 1 to 65535/);
  });

  it('checks its own options by name', () => {
    const config = { backends: ['http://127.0.0.1:3001'] };
    const cases: [unknown, string][] = [
      [{ full: 'yes' }, 'option "full" must be true or false, got "yes"'],
      [
        { name: 'my-app' },
        'option "name" must be a letter, then letters, digits or "_", got "my-app"',
      ],
      [{ fill: true }, 'option "fill" must be one of the known options (full, name), got "fill"'],
    ];
    for (const [options, message] of cases) {
      expect(messageOf(() => exportConfig(config, options as ExportOptions))).toBe(message);
    }
  });
});
