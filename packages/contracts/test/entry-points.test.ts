import { fileURLToPath } from 'node:url';
import { expectSameBuiltApi } from '@koa-fleet/testkit';
import { describe, expect, it } from 'vitest';

const packageDir = fileURLToPath(new URL('..', import.meta.url));

describe('@koa-fleet/contracts built entry points', () => {
  it('builds the same constants in ESM and CJS', async () => {
    const { esm, cjs } = await expectSameBuiltApi(packageDir, [
      'DRAIN_HEADER',
      'FLEET_NAMESPACES',
      'IPC_ERROR_CODES',
      'REGISTRY_METHODS',
      'CONTROL_PROTOCOL_VERSION',
      'controlSocketPath',
      'isIpcError',
    ]);
    for (const mod of [esm, cjs]) {
      expect(mod.DRAIN_HEADER).toBe('Fleet-Draining');
      expect(mod.CONTROL_PROTOCOL_VERSION).toBe(1);
      expect(
        Object.values(mod.FLEET_NAMESPACES as object).every((ns) => ns.startsWith('kf:')),
      ).toBe(true);
      const isIpcError = mod.isIpcError as (error: unknown, code: string) => boolean;
      expect(
        isIpcError(
          Object.assign(new Error('x'), { code: 'KF_IPC_NO_HANDLER' }),
          'KF_IPC_NO_HANDLER',
        ),
      ).toBe(true);
      expect(isIpcError(new Error('x'), 'KF_IPC_NO_HANDLER')).toBe(false);
      expect(isIpcError(undefined, 'KF_IPC_TIMEOUT')).toBe(false);
    }
  });

  it('names every fleet namespace once', async () => {
    const { FLEET_NAMESPACES } = await import('../src/namespaces.js');
    const names = Object.values(FLEET_NAMESPACES);
    expect(new Set(names).size).toBe(names.length);
  });
});
