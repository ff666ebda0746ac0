import { fileURLToPath } from 'node:url';
import { expectSameBuiltApi } from '@koa-fleet/testkit';
import { describe, expect, it } from 'vitest';

const packageDir = fileURLToPath(new URL('..', import.meta.url));

describe('@koa-fleet/errors built entry points', () => {
  it('builds errors with their stable code and class name in ESM and CJS alike', async () => {
    const { esm, cjs } = await expectSameBuiltApi(packageDir, [
      'FleetError',
      'InvalidOptionError',
      'checkDuration',
      'isFleetError',
    ]);
    for (const mod of [esm, cjs]) {
      const Invalid = mod.InvalidOptionError as new (o: string, e: string, g: unknown) => Error;
      const error = new Invalid('workers', 'an integer ≥ 1', 0) as Error & { code: string };
      expect(error.code).toBe('KF_INVALID_OPTION');
      expect(error.name).toBe('InvalidOptionError');
      expect(error.message).toBe('option "workers" must be an integer ≥ 1, got 0');
      expect(error).toBeInstanceOf(mod.FleetError as new () => Error);
    }
  });
});
