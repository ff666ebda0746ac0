import { describe, expect, it } from 'vitest';
import { resolveOptions, type BalancerConfig } from '../options.js';
import { checkFixedOptions } from './fixed-options.js';

const A = 'http://127.0.0.1:3001';
const B = 'http://127.0.0.1:3002';
const both = (config: BalancerConfig) => ({ config, resolved: resolveOptions(config) });

function check(before: BalancerConfig, after: BalancerConfig): void {
  checkFixedOptions(both(before), both(after));
}

describe('the options a reload cannot change', () => {
  it('lets the backends, their defaults and grace change', () => {
    expect(() =>
      check(
        { backends: [A], port: 8080, maxFails: 1, grace: '10s' },
        {
          backends: [B],
          port: 8080,
          maxFails: 3,
          failTimeout: '2s',
          slowStart: '1s',
          grace: 5_000,
        },
      ),
    ).not.toThrow();
  });

  it('takes the same value written another way as unchanged', () => {
    expect(() =>
      check(
        { backends: [A], timeouts: { connect: '5s' }, retryAfter: 1_000 },
        { backends: [A], timeouts: { connect: 5_000 }, retryAfter: '1s', port: 8080 },
      ),
    ).not.toThrow();
  });

  it.each<[string, BalancerConfig]>([
    ['port', { backends: [A], port: 9090 }],
    ['host', { backends: [A], host: '127.0.0.1' }],
    ['strategy', { backends: [A], strategy: 'least-conn' }],
    ['tls', { backends: [A], tls: { cert: 'c.pem', key: 'k.pem' } }],
    ['admin', { backends: [A], admin: { port: 0 } }],
    ['healthCheck', { backends: [A], healthCheck: true }],
    ['tries', { backends: [A], tries: 2 }],
    ['trustProxy', { backends: [A], trustProxy: ['10.0.0.0/8'] }],
    ['logLevel', { backends: [A], logLevel: 'debug' }],
  ])('refuses a change of %s, naming it', (option, after) => {
    expect(() => check({ backends: [A] }, after)).toThrowError(
      expect.objectContaining({ code: 'KF_BALANCER_RELOAD_RESTART', option }),
    );
  });
});
