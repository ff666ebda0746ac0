import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { FleetUsageError } from '../../errors.js';
import { resolveOptions } from '../../options.js';
import { decodeWorkerConfig, encodeWorkerConfig, workerConfig } from './worker-config.js';

const entry = fileURLToPath(new URL('../../../test/fixtures/hello.mjs', import.meta.url));

describe('the worker config', () => {
  it("carries the resolved options a worker reads, and the slot's own id, port and generation", () => {
    const options = resolveOptions({ entry, port: 3300, drainWindow: '3s', logLevel: 'warn' });
    const config = workerConfig(options, { id: 2, port: 3302 }, 5);
    expect(config).toEqual({
      entry,
      id: 2,
      port: 3302,
      host: '0.0.0.0',
      generation: 5,
      keepAliveTimeout: 65_000,
      headersTimeout: 66_000,
      drainWindow: 3000,
      shutdownDelay: 0,
      grace: 10_000,
      heartbeatInterval: 1000,
      ipcTimeout: 5000,
      logLevel: 'warn',
    });
    expect(decodeWorkerConfig(encodeWorkerConfig(config))).toEqual(config);
  });

  it('says the bootstrap is not started by hand when there is no config', () => {
    expect(() => decodeWorkerConfig({})).toThrowError(FleetUsageError);
    expect(() => decodeWorkerConfig({})).toThrowError(
      'KOA_FLEET_WORKER is not set: this file is started by startFleet(), not by hand',
    );
  });
});
