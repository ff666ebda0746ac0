import { fileURLToPath } from 'node:url';
import { freePort, httpRequest, spawnNode, stopAll } from '@koa-fleet/testkit';
import type { NodeProcess } from '@koa-fleet/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const main = fileURLToPath(new URL('../src/main.js', import.meta.url));

/** One request on a fresh connection, so the cluster can hand it to any worker. */
function send(url: string, options: { method?: string; cookie?: string } = {}) {
  return httpRequest(url, {
    method: options.method ?? 'GET',
    headers: options.cookie ? { cookie: options.cookie } : {},
  });
}

/** Keeps the cookies a browser would keep. */
class CookieJar {
  private readonly cookies = new Map<string, string>();
  header(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }
  store(setCookies: string[]): void {
    for (const line of setCookies) {
      const [pair = ''] = line.split(';');
      const eq = pair.indexOf('=');
      this.cookies.set(pair.slice(0, eq).trim(), pair.slice(eq + 1).trim());
    }
  }
}

describe('the demo (pnpm demo)', () => {
  let demo: NodeProcess;
  let base: string;

  beforeAll(async () => {
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    demo = await spawnNode(main, {
      env: {
        PORT: String(port),
        WORKERS: '2',
        HOST: '127.0.0.1',
        REDIS_URL: '',
        KOA_FLEET_LOG_FORMAT: 'json',
      },
      readyLine: /workers ready at/,
      timeout: 60_000,
    });
  });
  afterAll(stopAll);

  it('shares one session across both workers: the visit count never skips or repeats', async () => {
    const jar = new CookieJar();
    const pids = new Set<number>();
    for (let expected = 1; expected <= 10; expected++) {
      const reply = await send(`${base}/api/whoami`, { cookie: jar.header() });
      jar.store(reply.setCookies);
      expect(reply.status).toBe(200);
      const body = JSON.parse(reply.body) as { pid: number; visits: number; store: string };
      expect(body).toMatchObject({ visits: expected, store: 'embedded' });
      pids.add(body.pid);
    }
    expect(pids.size).toBe(2);
  });

  it('renders the page with the worker and the visit count', async () => {
    const reply = await send(`${base}/`);
    expect(reply.status).toBe(200);
    expect(reply.body).toContain('koa-fleet demo');
    expect(reply.body).toMatch(/<p class="big" id="visits">1<\/p>/);
  });

  it('answers the fleet view for both workers from any of them', async () => {
    const reply = await send(`${base}/healthz/fleet`);
    expect(reply.status).toBe(200);
    expect(JSON.parse(reply.body)).toMatchObject({
      status: 'pass',
      output: '2 of 2 workers ready',
    });
    expect((await send(`${base}/readyz`)).status).toBe(200);
  });

  it('serves metrics aggregated across the workers', async () => {
    const reply = await send(`${base}/metrics`);
    expect(reply.status).toBe(200);
    expect(reply.body).toMatch(/^koa_fleet_metrics_workers_answered 2$/m);
  });

  it('starts a new session for a tampered cookie and rejects a note without text', async () => {
    const tampered = await send(`${base}/api/whoami`, {
      cookie: 'koa.sess=forged; koa.sess.sig=bad',
    });
    expect(tampered.status).toBe(200);
    expect(JSON.parse(tampered.body)).toMatchObject({ visits: 1 });
    expect((await send(`${base}/api/notes`, { method: 'POST' })).status).toBe(400);
  });

  it('stops cleanly on SIGTERM with exit code 0', async () => {
    demo.kill('SIGTERM');
    expect(await demo.waitForExit({ timeout: 30_000 })).toEqual({ code: 0, signal: null });
  });
});
