import { fileURLToPath } from 'node:url';
import { expectSameBuiltApi } from '@koa-fleet/testkit';
import { describe, expect, it } from 'vitest';

const packageDir = fileURLToPath(new URL('..', import.meta.url));

describe('@koa-fleet/cluster built entry points', () => {
  it('exports the public API from ESM and CJS alike', async () => {
    const { esm, cjs } = await expectSameBuiltApi(packageDir, [
      'startFleet',
      'Fleet',
      'DRAIN_HEADER',
      'createLogger',
      'FleetError',
      'InvalidOptionError',
      'CrashLoopError',
      'MemoryLoopError',
      'ReloadAbortedError',
      'PortInUseError',
      'IpcTimeoutError',
      'connectFleetControl',
      'controlSocketPath',
      'CONTROL_PROTOCOL_VERSION',
      'ControlRemoteError',
      'WorkerSlotError',
    ]);
    expect(esm.DRAIN_HEADER).toBe('Fleet-Draining');
    expect(cjs.CONTROL_PROTOCOL_VERSION).toBe(1);
    // Both formats bundle the one @koa-fleet/errors dependency, not a private copy.
    expect(esm.InvalidOptionError).toBe((await import('@koa-fleet/errors')).InvalidOptionError);
    expect(typeof cjs.isFleetError).toBe('function');
  });
});
