import { stopAll } from '@koa-fleet/testkit';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDemo, type RunningDemo } from './support/demo-process.js';

describe('the demo page in a real browser, through the balancer', () => {
  let browser: Browser;
  let demo: RunningDemo;

  beforeAll(async () => {
    demo = await startDemo(2);
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

  it('shows the worker that served each reload, and keeps counting the visits', async () => {
    const page = await browser.newPage();
    const seen: Array<{ pid: string; slot: string; visits: string }> = [];
    await page.goto(`${demo.url}/`);
    for (let load = 0; load < 6; load++) {
      if (load > 0) await page.reload();
      seen.push({
        pid: (await page.textContent('#pid')) ?? '',
        slot: (await page.textContent('#slot')) ?? '',
        visits: (await page.textContent('#visits')) ?? '',
      });
    }
    expect(seen.map((view) => view.visits)).toEqual(['1', '2', '3', '4', '5', '6']);
    // The balancer picks per request, slot 0 twice as often: in 6 reloads both slots answer.
    expect(new Set(seen.map((view) => Number(view.pid)))).toEqual(new Set(demo.workerPids));
    for (const view of seen) {
      expect(demo.workerPids[Number(view.slot)]).toBe(Number(view.pid));
    }
  });
});
