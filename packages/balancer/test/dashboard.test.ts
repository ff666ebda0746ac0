import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { httpRequest, stopAll } from '@koa-fleet/testkit';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Balancer } from '@koa-fleet/balancer';
import { startClusterFleet } from './support/cluster-fleet.js';
import { keepAliveAgent, useTestServers } from './support/test-servers.js';

const servers = useTestServers();
const agent = keepAliveAgent();
const TOKEN = 'dashboard-test-token-0123456789';
const output = fileURLToPath(new URL('../test-results/', import.meta.url));

/** Generous bounds for a page on a loaded 2-core machine; the page itself updates every second. */
const SEEN_MS = 10_000;

async function twoBackends(token?: string) {
  const a = await servers.backend('a');
  const b = await servers.backend('b');
  const balancer = await servers.balancer({
    backends: [a.url, b.url],
    admin: { port: 0, ...(token && { token }) },
  });
  return { a, b, balancer, dashboard: `${balancer.address!.admin!.url}/` };
}

/** `count` requests through the balancer, one after another, and the tries each backend got. */
async function send(balancer: Balancer & { url: string }, count: number) {
  const before = new Map(balancer.stats().map((stats) => [stats.url, stats.requests]));
  for (let n = 0; n < count; n++) {
    const reply = await httpRequest(`${balancer.url}/n/${n}`, { agent });
    expect(reply.status).toBe(200);
  }
  return new Map(
    balancer.stats().map((stats) => [stats.url, stats.requests - (before.get(stats.url) ?? 0)]),
  );
}

function row(page: Page, url: string) {
  return page.locator(`tr[data-backend="${url}"]`);
}

describe('the dashboard page, served by the admin listener', () => {
  it('is served without the token (it holds no data), while its data needs it', async () => {
    const { dashboard } = await twoBackends(TOKEN);
    const page = await httpRequest(dashboard);
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.headers['content-security-policy']).toContain("default-src 'self'");
    expect(page.body).toContain('<script src="dashboard.js"></script>');
    const script = await httpRequest(`${dashboard}dashboard.js`);
    expect(script.status).toBe(200);
    expect(script.headers['content-type']).toMatch(/^text\/javascript/);
    expect(script.body.length).toBeGreaterThan(1_000);
    expect((await httpRequest(`${dashboard}dashboard.css`)).status).toBe(200);
    expect((await httpRequest(`${dashboard}api/v1/info`)).status).toBe(401);
    expect((await httpRequest(`${dashboard}dashboard.js`, { method: 'POST' })).status).toBe(401);
  });

  it('answers GET /api/v1/info: the balancer it is about', async () => {
    const { balancer, dashboard } = await twoBackends();
    const info = await httpRequest(`${dashboard}api/v1/info`);
    expect(info.json()).toMatchObject({
      api: 1,
      balancer: { url: balancer.url },
      strategy: 'round-robin',
      workers: 1,
    });
  });
});

describe('the dashboard in a real browser', () => {
  let browser: Browser;

  beforeAll(async () => {
    browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
    });
  });
  afterAll(async () => {
    await browser?.close();
    await stopAll();
  });

  it('lists the backends, drains one, and a new weight changes the measured split', async () => {
    const { a, b, balancer, dashboard } = await twoBackends();
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    const complaints: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') complaints.push(message.text());
    });
    page.on('pageerror', (error) => complaints.push(error.message));
    await page.goto(dashboard);
    await row(page, a.url).waitFor({ timeout: SEEN_MS });
    await row(page, b.url).waitFor({ timeout: SEEN_MS });
    await expect(page.locator('#connection').textContent()).resolves.toBe('live');
    await send(balancer, 40);
    await expect
      .poll(() => row(page, a.url).locator('td').nth(1).textContent(), { timeout: SEEN_MS })
      .toBe('up');

    await row(page, a.url).getByRole('button', { name: 'Drain' }).click();
    await expect
      .poll(() => row(page, a.url).locator('.state').textContent(), { timeout: SEEN_MS })
      .toBe('drained');
    expect(balancer.stats().find((stats) => stats.url === a.url)?.drained).toBe(true);
    expect((await send(balancer, 20)).get(a.url)).toBe(0);

    await row(page, a.url).getByRole('button', { name: 'Undrain' }).click();
    await expect
      .poll(() => balancer.stats().find((stats) => stats.url === a.url)?.state)
      .toBe('up');
    await row(page, a.url).locator('input[type=number]').fill('3');
    await row(page, a.url).getByRole('button', { name: 'Set' }).click();
    await expect.poll(() => balancer.stats().find((stats) => stats.url === a.url)?.weight).toBe(3);
    // Smooth weighted round robin: 3 of every 4 requests, exactly, once the weight is 3.
    const split = await send(balancer, 400);
    expect(split.get(a.url)).toBe(300);
    expect(split.get(b.url)).toBe(100);
    await expect
      .poll(() => row(page, a.url).locator('td').nth(2).textContent(), { timeout: SEEN_MS })
      .toBe('3');
    await expect(page.locator('#events li').count()).resolves.toBeGreaterThan(0);
    // Nothing refused by the Content-Security-Policy, no script error.
    expect(complaints).toEqual([]);
    await expect(page.locator('#login').isVisible()).resolves.toBe(false);
    mkdirSync(output, { recursive: true });
    await page.screenshot({ path: `${output}dashboard.png`, fullPage: true });
    await page.close();
  });

  it('sends a bounded load from the page to the balancer', async () => {
    const { balancer, dashboard } = await twoBackends();
    const page = await browser.newPage();
    await page.goto(dashboard);
    await page.locator('#summary').filter({ hasText: balancer.url }).waitFor({ timeout: SEEN_MS });
    const before = balancer.stats().reduce((sum, stats) => sum + stats.requests, 0);
    await page.locator('#load').click();
    await expect
      .poll(() => page.locator('#load-status').textContent(), { timeout: 30_000 })
      .toMatch(/^load done: \d+ requests/);
    const status = (await page.locator('#load-status').textContent()) ?? '';
    const sent = Number(/(\d+) requests/.exec(status)?.[1]);
    const after = balancer.stats().reduce((sum, stats) => sum + stats.requests, 0);
    expect(sent).toBeGreaterThan(0);
    expect(after - before).toBeGreaterThanOrEqual(sent);
    await page.close();
  }, 40_000);

  it('asks for the token when the listener has one, and refuses a wrong one', async () => {
    const { a, dashboard } = await twoBackends(TOKEN);
    const page = await browser.newPage();
    await page.goto(dashboard);
    await page.locator('#login').waitFor({ timeout: SEEN_MS });
    await page.locator('#token').fill('not-the-token-at-all-0000');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect
      .poll(() => page.locator('#login-error').textContent(), { timeout: SEEN_MS })
      .toBe('That token was refused.');
    await page.locator('#token').fill(TOKEN);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await row(page, a.url).waitFor({ timeout: SEEN_MS });
    await page.close();
  });

  it('shows a followed fleet’s workers and checks; restart gives the slot a new pid, reload cycles every pid', async () => {
    const fleet = await startClusterFleet();
    const balancer = await servers.balancer({
      fleets: [{ control: fleet.pidFile, name: 'app' }],
      admin: { port: 0 },
    });
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(`${balancer.address!.admin!.url}/`);
    const workers = page.locator('[data-fleet="app"] tbody tr');
    await expect.poll(() => workers.count(), { timeout: SEEN_MS }).toBe(2);
    const pids = async () =>
      await workers.evaluateAll((rows) => rows.map((row) => row.getAttribute('data-pid')));
    const before = await pids();
    await expect
      .poll(() => page.locator('[data-fleet="app"] .checks').textContent(), { timeout: SEEN_MS })
      .toMatch(/^health pass/);

    await page
      .locator('[data-fleet="app"] tr[data-slot="0"]')
      .getByRole('button', { name: 'Restart' })
      .click();
    await expect.poll(async () => (await pids())[0], { timeout: 30_000 }).not.toBe(before[0]);
    await expect.poll(async () => (await pids())[1]).toBe(before[1]);
    await expect
      .poll(() => page.locator('[data-fleet="app"] tr[data-slot="0"] .state').textContent(), {
        timeout: SEEN_MS,
      })
      .toBe('ready');

    const restarted = await pids();
    await page
      .locator('[data-fleet="app"]')
      .getByRole('button', { name: 'Rolling reload' })
      .click();
    await expect
      .poll(
        async () => {
          const now = await pids();
          return now.every((pid, slot) => pid !== restarted[slot]);
        },
        { timeout: 60_000 },
      )
      .toBe(true);
    await expect
      .poll(() => page.locator('#events').textContent(), { timeout: SEEN_MS })
      .toContain('app worker 1');
    mkdirSync(output, { recursive: true });
    await page.screenshot({ path: `${output}dashboard-fleet.png`, fullPage: true });
    await page.close();
  }, 120_000);
});
