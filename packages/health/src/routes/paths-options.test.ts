import { InvalidOptionError } from '@koa-fleet/errors';
import { describe, expect, it } from 'vitest';
import { resolvePaths } from './paths-options.js';

const DEFAULTS = {
  live: '/livez',
  ready: '/readyz',
  health: '/healthz',
  fleet: '/healthz/fleet',
  metrics: '/metrics',
};

describe('resolvePaths', () => {
  it('gives every endpoint its default path', () => {
    expect(resolvePaths(undefined)).toEqual(DEFAULTS);
    expect(resolvePaths({})).toEqual(DEFAULTS);
  });

  it('moves an endpoint, or turns it off with false', () => {
    expect(resolvePaths({ ready: '/ready', metrics: false })).toEqual({
      ...DEFAULTS,
      ready: '/ready',
      metrics: false,
    });
  });

  it('lets two endpoints be off at once', () => {
    expect(resolvePaths({ fleet: false, metrics: false })).toMatchObject({
      fleet: false,
      metrics: false,
    });
  });

  it.each([
    [{ ready: 'readyz' }, 'paths.ready'],
    [{ live: true }, 'paths.live'],
    [{ health: '/metrics' }, 'paths'],
    [{ fleetz: '/f' }, 'paths.fleetz'],
  ])('rejects %j, naming %s', (input, option) => {
    expect(() => resolvePaths(input)).toThrowError(InvalidOptionError);
    expect(() => resolvePaths(input)).toThrowError(`option "${option}"`);
  });
});
