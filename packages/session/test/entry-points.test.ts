import { fileURLToPath } from 'node:url';
import { expectSameBuiltApi } from '@koa-fleet/testkit';
import { describe, expect, it } from 'vitest';

const packageDir = fileURLToPath(new URL('..', import.meta.url));

describe('@koa-fleet/session built entry points', () => {
  it('exports the public API from ESM and CJS alike', async () => {
    const { esm, cjs } = await expectSameBuiltApi(packageDir, [
      'FleetError',
      'InvalidOptionError',
      'SessionConflictError',
      'SessionTooLargeError',
      'SessionUnavailableError',
      'SessionUsageError',
      'addToSet',
      'append',
      'embeddedSessionPlugin',
      'embeddedStore',
      'incr',
      'jsonSerializer',
      'memoryStore',
      'recommendedClusterOptions',
      'recommendedRedisOptions',
      'redisStore',
      'session',
      'sessionHealthCheck',
    ]);
    // Both formats bundle the one @koa-fleet/errors dependency, not a private copy.
    expect(esm.InvalidOptionError).toBe((await import('@koa-fleet/errors')).InvalidOptionError);
    expect(typeof cjs.isFleetError).toBe('function');
  });
});
