import { fileURLToPath } from 'node:url';
import { expectSameBuiltApi } from '@koa-fleet/testkit';
import { describe, expect, it } from 'vitest';

const packageDir = fileURLToPath(new URL('..', import.meta.url));

describe('@koa-fleet/health built entry points', () => {
  it('exports the public API from ESM and CJS alike', async () => {
    const { esm, cjs } = await expectSameBuiltApi(packageDir, [
      'health',
      'defineCheck',
      'checks',
      'redisCheck',
      'eventLoopDelayCheck',
      'memoryCheck',
      'healthFleetPlugin',
      'FleetMetricsAggregator',
      'ProbeState',
      'HEALTH_JSON',
      'CheckTimeoutError',
      'CheckFailedError',
      'FleetUnavailableError',
      'FleetError',
      'InvalidOptionError',
    ]);
    // Both formats bundle the one @koa-fleet/errors dependency, not a private copy.
    expect(esm.InvalidOptionError).toBe((await import('@koa-fleet/errors')).InvalidOptionError);
    expect(typeof cjs.isFleetError).toBe('function');
  });
});
