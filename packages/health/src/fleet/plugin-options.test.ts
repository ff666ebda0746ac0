import { InvalidOptionError } from '@koa-fleet/errors';
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { healthFleetPlugin } from './plugin.js';

describe('healthFleetPlugin options', () => {
  it('takes a primary-side Registry by its shape', () => {
    expect(() => healthFleetPlugin({ registry: new Registry() })).not.toThrow();
    expect(() => healthFleetPlugin({ registry: {} as Registry })).toThrowError(InvalidOptionError);
    expect(() => healthFleetPlugin({ registry: {} as Registry })).toThrowError(
      /option "registry" must be a prom-client Registry \(an object with getMetricsAsJSON\(\)\)/,
    );
  });

  it('names an unknown option', () => {
    expect(() => healthFleetPlugin({ gatherTimeouts: '1s' } as never)).toThrowError(
      /option "gatherTimeouts"/,
    );
  });
});
