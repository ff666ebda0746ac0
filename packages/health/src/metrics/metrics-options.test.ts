import { InvalidOptionError } from '@koa-fleet/errors';
import { describe, expect, it } from 'vitest';
import { matchedRoute } from './matched-route.js';
import { DEFAULT_PREFIX, resolveMetricsOptions } from './metrics-options.js';

describe('resolveMetricsOptions', () => {
  it('is on by default, with the prefix, Prometheus-style buckets and the matched route', () => {
    for (const input of [undefined, true, {}]) {
      expect(resolveMetricsOptions(input)).toEqual({
        prefix: DEFAULT_PREFIX,
        buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
        route: matchedRoute,
      });
    }
    expect(DEFAULT_PREFIX).toBe('koa_fleet_');
  });

  it('is off with false', () => {
    expect(resolveMetricsOptions(false)).toBeUndefined();
  });

  it('keeps what is given', () => {
    const route = () => 'r';
    expect(resolveMetricsOptions({ prefix: 'app_', buckets: [0.1, 1], route })).toEqual({
      prefix: 'app_',
      buckets: [0.1, 1],
      route,
    });
  });

  it.each([
    ['off', 'metrics'],
    [{ prefixes: 'x_' }, 'metrics.prefixes'],
    [{ prefix: '1x' }, 'metrics.prefix'],
    [{ prefix: 7 }, 'metrics.prefix'],
    [{ buckets: [] }, 'metrics.buckets'],
    [{ buckets: '0.1' }, 'metrics.buckets'],
    [{ buckets: [0.1, 'x'] }, 'metrics.buckets[1]'],
    [{ route: '/users/:id' }, 'metrics.route'],
  ])('rejects %j, naming %s', (input, option) => {
    expect(() => resolveMetricsOptions(input)).toThrowError(InvalidOptionError);
    expect(() => resolveMetricsOptions(input)).toThrowError(`option "${option}"`);
  });
});
