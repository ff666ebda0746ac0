import { startRedis, stopAll, waitFor, type RedisServer } from '@koa-fleet/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CookieJar,
  httpRequest,
  isAlive,
  many,
  startDemo,
  type RunningDemo,
} from './support/demo-process.js';

interface SessionView {
  pid: number;
  visits: number;
  cart: Record<string, number>;
  store: string;
}

describe('pnpm demo with REDIS_URL: sessions in Redis', () => {
  let redis: RedisServer;
  let demo: RunningDemo;

  beforeAll(async () => {
    redis = await startRedis();
    demo = await startDemo(2, { REDIS_URL: redis.url });
  });
  afterAll(stopAll);

  it('says so in its banner', () => {
    expect(demo.process.stdout()).toContain(`sessions in Redis at ${redis.url}`);
  });

  it('counts 200 concurrent visits of one session exactly, on both workers', async () => {
    const jar = new CookieJar();
    const first = jar.store(await httpRequest(`${demo.url}/session/visit`, { method: 'POST' }));
    expect(first.json<SessionView>()).toMatchObject({ visits: 1, store: 'redis' });
    const visits = await many(200, 50, async () =>
      (
        await httpRequest(`${demo.url}/session/visit`, { method: 'POST', headers: jar.header() })
      ).json<SessionView>(),
    );
    expect(visits.map((v) => v.visits).sort((a, b) => a - b)).toEqual(
      Array.from({ length: 200 }, (_, i) => i + 2),
    );
    expect(new Set(visits.map((v) => v.pid))).toEqual(new Set(demo.workerPids));
  });

  it('keeps the items two tabs add to the cart at the same time', async () => {
    const jar = new CookieJar();
    jar.store(await httpRequest(`${demo.url}/session/visit`, { method: 'POST' }));
    await Promise.all(
      ['apple', 'pear'].map((item) =>
        httpRequest(`${demo.url}/session/cart?item=${item}`, {
          method: 'POST',
          headers: jar.header(),
        }),
      ),
    );
    const session = await httpRequest(`${demo.url}/session`, { headers: jar.header() });
    expect(session.json<SessionView>()).toMatchObject({
      store: 'redis',
      cart: { apple: 1, pear: 1 },
    });
  });

  it('keeps the sessions in Redis: a restarted demo still knows them', async () => {
    const jar = new CookieJar();
    jar.store(await httpRequest(`${demo.url}/session/visit`, { method: 'POST' }));
    const pids = [demo.primaryPid, demo.balancerPid, ...demo.workerPids];
    await demo.process.stop();
    await waitFor('the first demo to be gone', () => pids.every((pid) => !isAlive(pid)));
    demo = await startDemo(2, { REDIS_URL: redis.url });
    const again = await httpRequest(`${demo.url}/session/visit`, {
      method: 'POST',
      headers: jar.header(),
    });
    expect(again.json<SessionView>().visits).toBe(2);
  });
});
