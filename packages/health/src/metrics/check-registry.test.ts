import { InvalidOptionError } from '@koa-fleet/errors';
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { checkRegistry } from './check-registry.js';

describe('checkRegistry', () => {
  it('takes a Registry, or any object with the methods the caller uses', () => {
    const registry = new Registry();
    expect(checkRegistry('registry', registry, ['registerMetric', 'getMetricsAsJSON'])).toBe(
      registry,
    );
    const lookalike = { getMetricsAsJSON: async () => [] };
    expect(checkRegistry('registry', lookalike, ['getMetricsAsJSON'])).toBe(lookalike);
  });

  it('names the option and the methods when one is missing', () => {
    const check = () =>
      checkRegistry('registry', { getMetricsAsJSON() {} }, ['registerMetric', 'getMetricsAsJSON']);
    expect(check).toThrowError(InvalidOptionError);
    expect(check).toThrowError(
      'option "registry" must be a prom-client Registry (an object with registerMetric(), getMetricsAsJSON())',
    );
  });
});
