import { describe, expect, it } from 'vitest';
// The built entry: a fleet forks dist/worker-main.js (this one fails before it would).
import { PluginSetupError, startFleet } from '../dist/index.js';
import { fixture } from './helpers/fleet.js';

describe('a fleet plugin whose setup fails', () => {
  it('fails the fleet before any worker forks, with a coded error even for a thrown string', async () => {
    const fleet = startFleet({
      entry: fixture('hello.mjs'),
      workers: 1,
      port: 0,
      handleSignals: false,
      logLevel: 'silent',
      plugins: [
        {
          name: 'broken',
          setup() {
            throw 'no database'; // what a careless plugin does
          },
        },
      ],
    });
    const failed = new Promise<Error>((resolve) => fleet.once('failed', resolve));
    expect(await fleet.closed).toBe(1);
    const error = await failed;
    expect(error).toBeInstanceOf(PluginSetupError);
    expect(error).toMatchObject({
      code: 'KF_FLEET_PLUGIN',
      plugin: 'broken',
      cause: 'no database',
      message: 'fleet plugin "broken" failed to set up: no database',
    });
    expect(fleet.stats().workers.filter((worker) => worker.pid > 0)).toEqual([]);
  });
});
