import type { Redis } from 'ioredis';
import { Registry } from 'prom-client';
import { type RedisServer, startRedis, waitFor } from '@koa-fleet/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { redisStore, sessionHealthCheck } from '../dist/index.js';
import { Browser, data } from './support/browser.js';
import { inProcessServers } from './support/in-process.js';
import { connectRedis } from './support/redis-clients.js';
import type { Servers } from './support/store-suite.js';

const silent = { warn: () => {} };
const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe('Redis outage', () => {
  it('answers 503 with Retry-After, keeps other routes up, turns readiness red and recovers after Redis returns', async () => {
    // AOF with fsync on every write: a write Redis acknowledged survives the SIGKILL below.
    const redis: RedisServer = await startRedis({
      args: ['--appendonly', 'yes', '--appendfsync', 'always'],
    });
    cleanups.push(() => redis.stop());
    const client: Redis = await connectRedis(redis.port);
    cleanups.push(() => client.disconnect());
    const registry = new Registry();
    const store = redisStore({ client, logger: silent, registry, retryAfter: '2s' });
    const health = sessionHealthCheck(store);
    const servers: Servers = await inProcessServers(1, {}, () => store);
    cleanups.push(() => servers.stop());
    const browser = new Browser(servers.urls);
    await browser.get('/set', { field: 'user', value: 'ada' });
    await expect(health.check()).resolves.toMatchObject({ observedUnit: 'ms' });

    const acknowledged: number[] = [];
    const statuses = new Set<number>();
    let failed = 0;
    let running = true;
    const loop = async () => {
      while (running) {
        const reply = await browser.get('/incr', { field: 'n' });
        statuses.add(reply.status);
        if (reply.status === 200) acknowledged.push(reply.body.value as number);
        else failed++;
      }
    };
    const traffic = Promise.all([loop(), loop(), loop(), loop()]);
    await waitFor('traffic before the outage', () => acknowledged.length >= 20);

    await redis.kill();
    await waitFor('failed requests during the outage', () => failed >= 10);
    const down = await browser.get('/get');
    expect(down.status).toBe(503);
    expect(down.headers.get('retry-after')).toBe('2');
    expect(down.body).toEqual({
      error: { code: 'KF_SESSION_UNAVAILABLE', message: expect.stringContaining('unavailable') },
    });
    expect(down.setCookies).toEqual([]); // the user's cookie is not replaced
    expect((await browser.get('/ping')).status).toBe(200);
    await expect(health.check()).rejects.toMatchObject({ code: 'KF_SESSION_UNAVAILABLE' });

    await redis.restart();
    const before = acknowledged.length;
    await waitFor('traffic after Redis returned', () => acknowledged.length >= before + 20, 60_000);
    running = false;
    await traffic;

    expect([...statuses].sort()).toEqual([200, 503]);
    await expect(health.check()).resolves.toMatchObject({ observedUnit: 'ms' });
    const after = data(await browser.get('/get'));
    expect(after.user).toBe('ada');
    // Every acknowledged increment is in the count; a failed one was reported, never faked.
    expect(new Set(acknowledged).size).toBe(acknowledged.length);
    expect(after.n as number).toBeGreaterThanOrEqual(Math.max(...acknowledged));
    const errors = await registry.getSingleMetric('koa_fleet_session_errors_total')!.get();
    expect(errors.values.reduce((sum, v) => sum + v.value, 0)).toBeGreaterThan(0);
  });

  it('tells the client only "session store unavailable" and logs the driver’s error once a second', async () => {
    const redis: RedisServer = await startRedis();
    cleanups.push(() => redis.stop());
    const client: Redis = await connectRedis(redis.port);
    cleanups.push(() => client.disconnect());
    const warnings: Array<{ details: Record<string, unknown>; message: string }> = [];
    const logger = {
      warn: (details: Record<string, unknown>, message: string) =>
        warnings.push({ details, message }),
    };
    const store = redisStore({ client, logger });
    const servers: Servers = await inProcessServers(1, {}, () => store);
    cleanups.push(() => servers.stop());
    const browser = new Browser(servers.urls);
    await browser.get('/set', { field: 'user', value: 'ada' });

    await redis.kill();
    await waitFor('the client to see the outage', () => client.status !== 'ready');
    const replies = await Promise.all(Array.from({ length: 5 }, () => browser.get('/get')));
    for (const reply of replies) {
      expect(reply.status).toBe(503);
      expect(reply.body).toEqual({
        error: { code: 'KF_SESSION_UNAVAILABLE', message: 'session store unavailable' },
      });
    }
    // Five failures within a second: one line, carrying ioredis's own error.
    expect(warnings).toHaveLength(1);
    expect(warnings[0]!.message).toBe('session store unavailable');
    expect(warnings[0]!.details).toMatchObject({ backend: 'redis', op: 'get' });
    expect(warnings[0]!.details.err).toBeInstanceOf(Error);
    expect((warnings[0]!.details.err as Error).message).not.toBe('session store unavailable');
    // Readiness output is for operators: it names the cause.
    await expect(sessionHealthCheck(store).check()).rejects.toMatchObject({
      code: 'KF_SESSION_UNAVAILABLE',
      message: expect.stringMatching(/^session store \(redis\) unavailable: .+/),
    });
  });
});
