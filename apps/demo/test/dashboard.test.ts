import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { stopAll } from '@koa-fleet/testkit';
import type { AdminBackendList } from '@koa-fleet/balancer';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  httpRequest,
  isAlive,
  keepAliveAgent,
  many,
  startDemo,
  type RunningDemo,
} from './support/demo-process.js';

const output = fileURLToPath(new URL('../test-results/', import.meta.url));
/** Generous bounds for a page on a loaded 2-core machine; the page itself updates every second. */
const SEEN_MS = 15_000;

describe('the balancer’s dashboard on the running demo, in a real browser', () => {
  let browser: Browser;
  let demo: RunningDemo;
  let page: Page;
  const agent = keepAliveAgent();
  const complaints: string[] = [];

  beforeAll(async () => {
    demo = await startDemo(2);
    browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
    });
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.on('console', (message) => {
      if (message.type() === 'error') complaints.push(message.text());
    });
    page.on('pageerror', (error) => complaints.push(error.message));
    await page.goto(`${demo.adminUrl}/`);
  });
  afterAll(async () => {
    agent.destroy();
    await browser?.close();
    await stopAll();
  });

  const backendUrl = (slot: number) => `http://127.0.0.1:${demo.workerPorts[slot]}`;
  const backendRow = (slot: number) => page.locator(`tr[data-backend="${backendUrl(slot)}"]`);
  const workerRows = () => page.locator('[data-fleet="app"] tr[data-slot][data-pid]');
  /** The pids the page shows, by slot. */
  const pagePids = async () =>
    (
      await workerRows().evaluateAll((rows) =>
        rows.map((row) => [Number(row.dataset.slot), Number(row.dataset.pid)] as const),
      )
    )
      .sort(([a], [b]) => a - b)
      .map(([, pid]) => pid);
  const backends = async () =>
    (await httpRequest(`${demo.adminUrl}/api/v1/backends`)).json<AdminBackendList>().backends;
  /** `count` requests to `/` through the balancer: how many each pid answered. */
  const split = async (count: number) => {
    const answers = await many(count, 4, async () => {
      const reply = await httpRequest(`${demo.url}/`, { agent });
      expect(reply.status).toBe(200);
      return reply.json<{ pid: number }>().pid;
    });
    const perPid = new Map<number, number>();
    for (const pid of answers) perPid.set(pid, (perPid.get(pid) ?? 0) + 1);
    return perPid;
  };
  const everyBackendUp = () =>
    expect
      .poll(async () => (await backends()).map((backend) => backend.state), { timeout: 30_000 })
      .toEqual(['up', 'up']);

  it('lists the fleet’s workers as backends, with their weights, and the fleet’s workers by slot and pid', async () => {
    await backendRow(0).waitFor({ timeout: SEEN_MS });
    await backendRow(1).waitFor({ timeout: SEEN_MS });
    await expect
      .poll(() => backendRow(0).locator('td').nth(2).textContent(), { timeout: SEEN_MS })
      .toBe('2');
    await expect(backendRow(1).locator('td').nth(2).textContent()).resolves.toBe('1');
    await expect.poll(() => workerRows().count(), { timeout: SEEN_MS }).toBe(2);
    await expect.poll(pagePids, { timeout: SEEN_MS }).toEqual(demo.workerPids);
  });

  it('restarts a worker from its Restart button: that slot gets a new pid, the other keeps its own', async () => {
    const before = await pagePids();
    await page
      .locator('[data-fleet="app"] tr[data-slot="0"]')
      .getByRole('button', { name: 'Restart' })
      .click();
    await expect.poll(async () => (await pagePids())[0], { timeout: 30_000 }).not.toBe(before[0]);
    const after = await pagePids();
    expect(after[1]).toBe(before[1]);
    expect(isAlive(before[0]!)).toBe(false);
    await expect
      .poll(() => page.locator('[data-fleet="app"] tr[data-slot="0"] .state').textContent(), {
        timeout: SEEN_MS,
      })
      .toBe('ready');
    // The new pid is the one that answers for slot 0 through the balancer.
    await everyBackendUp();
    expect([...(await split(30)).keys()].sort()).toEqual([...after].sort());
  }, 60_000);

  it('cycles every pid with the Rolling reload button', async () => {
    const before = await pagePids();
    await page
      .locator('[data-fleet="app"]')
      .getByRole('button', { name: 'Rolling reload' })
      .click();
    await expect
      .poll(async () => (await pagePids()).every((pid, slot) => pid !== before[slot]), {
        timeout: 90_000,
      })
      .toBe(true);
    expect(before.some(isAlive)).toBe(false);
    await everyBackendUp();
  }, 120_000);

  it('changes the measured split when a weight is set in the page', async () => {
    const pids = await pagePids();
    const share = (perPid: Map<number, number>, slot: number, count: number) =>
      (100 * (perPid.get(pids[slot]!) ?? 0)) / count;
    // Configured 2 : 1, so slot 0 answers two of every three.
    const before = await split(300);
    expect(Math.abs(share(before, 0, 300) - 66.7)).toBeLessThanOrEqual(2);

    await backendRow(1).locator('input[type=number]').fill('4');
    await backendRow(1).getByRole('button', { name: 'Set' }).click();
    await expect
      .poll(async () => (await backends()).find((b) => b.url === backendUrl(1))?.weight)
      .toBe(4);
    // 2 : 4 now: slot 1 answers two of every three.
    const after = await split(600);
    expect(Math.abs(share(after, 1, 600) - 66.7)).toBeLessThanOrEqual(2);
    await expect
      .poll(() => backendRow(1).locator('td').nth(2).textContent(), { timeout: SEEN_MS })
      .toBe('4');

    // The screenshot while traffic flows, so the chart and the shares show the 2 : 4 split.
    const flowing = split(2_000);
    await expect
      .poll(() => backendRow(1).locator('td').nth(4).textContent(), { timeout: SEEN_MS })
      .toMatch(/^(5\d|6\d|7\d)\.\d %$/);
    mkdirSync(output, { recursive: true });
    await page.screenshot({ path: `${output}dashboard.png`, fullPage: true });
    await flowing;
    // Nothing refused by the page's Content-Security-Policy, no script error.
    expect(complaints).toEqual([]);
  }, 60_000);
});
