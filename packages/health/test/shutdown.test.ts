import { fileURLToPath } from 'node:url';
import { spawnNode } from '@koa-fleet/testkit';
import { describe, expect, it } from 'vitest';
import { tsxLoader } from './support/tsx-loader.js';

const fixture = fileURLToPath(new URL('./fixtures/shutdown-app.ts', import.meta.url));

/** Polls until `predicate` holds; the deadline is generous and never asserted as a timing. */
async function until(predicate: () => Promise<boolean>, deadlineMs = 20_000): Promise<void> {
  const deadline = Date.now() + deadlineMs;
  while (!(await predicate())) {
    if (Date.now() > deadline) throw new Error('condition not reached before the deadline');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('shutdown for orchestrators', () => {
  it('says 503 on /readyz at SIGTERM, keeps serving through shutdownDelay, then shuts down', async () => {
    // The delay only has to outlast two local requests; it is long so a slow machine cannot race it.
    const app = await spawnNode(fixture, {
      execArgv: ['--import', tsxLoader],
      env: { SHUTDOWN_DELAY: '8s' },
      readyLine: /listening (\d+)/,
    });
    try {
      const port = /listening (\d+)/.exec(app.stdout())![1];
      const url = `http://127.0.0.1:${port}`;
      expect((await fetch(`${url}/readyz`)).status).toBe(200);

      app.kill('SIGTERM');
      await until(async () => (await fetch(`${url}/readyz`)).status === 503);
      const during = await fetch(`${url}/`);
      expect(during.status).toBe(200);
      expect((await fetch(`${url}/livez`)).status).toBe(200);
      expect(app.stdout()).not.toContain('shutting down');

      await app.waitForLine('shutting down after SIGTERM');
      expect(await app.waitForExit()).toMatchObject({ code: 0 });
    } finally {
      await app.stop();
    }
  });

  it('without onShutdown, re-raises the signal after the delay so the process ends as it would have', async () => {
    const app = await spawnNode(fixture, {
      execArgv: ['--import', tsxLoader],
      env: { SHUTDOWN_DELAY: '1s', DEFAULT_SHUTDOWN: '1' },
      readyLine: /listening (\d+)/,
    });
    try {
      const port = /listening (\d+)/.exec(app.stdout())![1];
      app.kill('SIGTERM');
      await until(async () => {
        const status = await fetch(`http://127.0.0.1:${port}/readyz`).then(
          (r) => r.status,
          () => 0,
        );
        return status === 503 || status === 0;
      });
      expect(await app.waitForExit()).toMatchObject({ signal: 'SIGTERM' });
    } finally {
      await app.stop();
    }
  });
});
