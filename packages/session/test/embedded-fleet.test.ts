import { fileURLToPath } from 'node:url';
import { spawnNode } from '@koa-fleet/testkit';
import { describe, expect, it } from 'vitest';
import { Browser } from './support/browser.js';
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

describe('embedded store without its primary half', () => {
  it('answers 503 with Retry-After when the primary holds no session store, and keeps serving', async () => {
    const port = await freePortPair();
    const fleet = await spawnNode(primary, {
      env: { PORT: String(port), NO_SESSION_PLUGIN: '1' },
      readyLine: /fleet ready 2/,
      timeout: 60_000,
    });
    try {
      const browser = new Browser([`http://127.0.0.1:${port}`]);
      const reply = await browser.get('/set', { field: 'a', value: 1 });
      expect(reply.status).toBe(503);
      expect(reply.headers.get('retry-after')).toBe('1');
      expect((reply.body.error as { code: string }).code).toBe('KF_SESSION_UNAVAILABLE');
      expect((await browser.get('/ping')).status).toBe(200);
    } finally {
      await fleet.stop({ timeout: 20_000 });
    }
  });
});
