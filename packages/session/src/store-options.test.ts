import { InvalidOptionError } from '@koa-fleet/errors';
import { describe, expect, it } from 'vitest';
import { resolveStoreOptions } from './store-options.js';

describe('resolveStoreOptions', () => {
  it('takes a prom-client Registry and a logger by their shape, naming what is missing', () => {
    const registry = { getSingleMetric: () => undefined, registerMetric: () => {} };
    expect(resolveStoreOptions({ registry }).registry).toBe(registry);
    expect(() =>
      resolveStoreOptions({ registry: { getSingleMetric: () => undefined } as never }),
    ).toThrow(
      'option "registry" must be a prom-client Registry (an object with getSingleMetric(), registerMetric())',
    );
    expect(() => resolveStoreOptions({ logger: {} as never })).toThrow(InvalidOptionError);
  });

  it('has the defaults of every store', () => {
    expect(resolveStoreOptions({})).toMatchObject({
      ttlMs: 86_400_000,
      compareAndSet: false,
      maxBytes: 65_536,
      retryAfterSeconds: 1,
      registry: undefined,
    });
  });
});
