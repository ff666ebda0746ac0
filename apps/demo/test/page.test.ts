import { fileURLToPath } from 'node:url';
import { freePort, spawnNode, stopAll } from '@koa-fleet/testkit';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const main = fileURLToPath(new URL('../src/main.js', import.meta.url));

describe('the demo page in a real browser', () => {
  let browser: Browser;
  let url: string;

  beforeAll(async () => {
    const port = await freePort();
    url = `http://127.0.0.1:${port}/`;
    await spawnNode(main, {
      env: { PORT: String(port), WORKERS: '2', HOST: '127.0.0.1', REDIS_URL: '' },
      readyLine: /workers ready at/,
      timeout: 60_000,
    });
    browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--no-first-run',
      ],
    });
  });
  afterAll(async () => {
    await browser?.close();
    await stopAll();
  });

  it('lands on another worker when reloaded, as it says, and keeps counting the visits', async () => {
    const page = await browser.newPage();
    const seen: Array<{ pid: string; visits: string }> = [];
    await page.goto(url);
    for (let load = 0; load < 4; load++) {
      if (load > 0) await page.reload();
      seen.push({
        pid: (await page.textContent('#pid')) ?? '',
        visits: (await page.textContent('#visits')) ?? '',
      });
    }
    expect(seen.map((view) => view.visits)).toEqual(['1', '2', '3', '4']);
    // Round robin over 2 workers: consecutive reloads alternate between them.
    for (let i = 1; i < seen.length; i++) expect(seen[i]!.pid).not.toBe(seen[i - 1]!.pid);
  });
});
