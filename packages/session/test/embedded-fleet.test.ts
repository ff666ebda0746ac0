import { fileURLToPath } from 'node:url';
import { spawnNode } from '@koa-fleet/testkit';
import { freePortPair } from './support/ports.js';
import { describeStoreSuite } from './support/store-suite.js';

const primary = fileURLToPath(new URL('./fixtures/fleet-primary.mjs', import.meta.url));

// A real @koa-fleet/cluster fleet: 2 worker processes, sessions held by the primary's plugin.
describeStoreSuite('embedded (2 cluster workers over IPC)', async () => ({
  start: async (config) => {
    const port = await freePortPair();
    const fleet = await spawnNode(primary, {
      env: {
        PORT: String(port),
        STORE_OPTIONS: JSON.stringify(config.store ?? {}),
        SESSION_OPTIONS: JSON.stringify(config.session ?? {}),
      },
      readyLine: /fleet ready 2/,
      timeout: 60_000,
    });
    return {
      urls: [`http://127.0.0.1:${port}`, `http://127.0.0.1:${port + 1}`],
      stop: () => fleet.stop({ timeout: 20_000 }),
    };
  },
}));
