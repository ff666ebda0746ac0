import type { Redis } from 'ioredis';
import { Registry } from 'prom-client';
import { startRedis, type RedisServer } from '@koa-fleet/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redisStore } from '../dist/index.js';
import { Browser, data } from './support/browser.js';
import { inProcessServers } from './support/in-process.js';
import { connectRedis } from './support/redis-clients.js';
import type { Servers } from './support/store-suite.js';

describe('Redis layout and stored data', () => {
  let redis: RedisServer;
  let client: Redis;
  let servers: Servers;
  const warnings: Array<{ details: Record<string, unknown>; message: string }> = [];
  const registry = new Registry();

  beforeAll(async () => {
    redis = await startRedis();
    client = await connectRedis(redis.port);
    const logger = {
      warn: (details: Record<string, unknown>, message: string) =>
        warnings.push({ details, message }),
    };
    const store = redisStore({ client, prefix: 'app:s:', logger, registry });
    servers = await inProcessServers(1, { session: { maxAge: 60_000 } }, () => store);
  });
  afterAll(async () => {
    await servers?.stop();
    client?.disconnect();
    await redis?.stop();
  });

  it('stores one hash per session under {prefix}{id}, a JSON value per field, expiring after maxAge', async () => {
    const browser = new Browser(servers.urls);
    await browser.get('/set', { field: 'user', value: { name: 'ada' } });
    const id = browser.cookies.get('kf.sid')!;
    const key = `app:s:{${id}}`;
    const stored = await client.hgetall(key);
    expect(stored.user).toBe('{"name":"ada"}');
    expect(JSON.parse(stored._kf_meta!)).toMatchObject({ _maxAge: 60_000 });
    const ttl = await client.pttl(key);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(70_000); // koa-session adds 10 s so data outlives the cookie
  });

  it('logs and counts a corrupt field with its key, serves the rest, and leaves it in place', async () => {
    const browser = new Browser(servers.urls);
    await browser.get('/set', { field: 'a', value: 1 });
    const id = browser.cookies.get('kf.sid')!;
    await client.hset(`app:s:{${id}}`, 'broken', '{not json');
    const reply = await browser.get('/set', { field: 'b', value: 2 });
    expect(reply.status).toBe(200);
    expect(data(reply)).toEqual({ a: 1, b: 2 });
    expect(warnings).toContainEqual({
      details: expect.objectContaining({ sessionId: id, field: 'broken', backend: 'redis' }),
      message: 'corrupt session field ignored',
    });
    expect(await client.hget(`app:s:{${id}}`, 'broken')).toBe('{not json');
    const events = await registry.getSingleMetric('koa_fleet_session_events_total')!.get();
    expect(events.values.find((v) => v.labels.event === 'corrupt')?.value).toBe(1);

    await client.hset(`app:s:{${id}}`, '_kf_meta', 'not json');
    const again = await browser.get('/get');
    expect(again.status).toBe(200);
    expect(data(again)).toEqual({ a: 1, b: 2 });
    expect(warnings.map((w) => w.details.field)).toContain('_kf_meta');
  });

  it('does not write again after incr() when the atomic update was the only change', async () => {
    const browser = new Browser(servers.urls);
    await browser.get('/set', { field: 'a', value: 1 });
    const sets = async () => {
      const ops = await registry.getSingleMetric('koa_fleet_session_ops_total')!.get();
      return ops.values.find((v) => v.labels.op === 'set')?.value ?? 0;
    };
    const before = await sets();
    expect((await browser.get('/incr', { field: 'n' })).body.value).toBe(1);
    expect(await sets()).toBe(before);
    expect(data(await browser.get('/get'))).toEqual({ a: 1, n: 1 });
  });

  it('extends only the TTL on a rolling save, writing no field', async () => {
    const rolling = redisStore({ client, prefix: 'app:r:', logger: { warn: () => {} } });
    const rollingServers = await inProcessServers(1, { session: { rolling: true } }, () => rolling);
    try {
      const browser = new Browser(rollingServers.urls);
      await browser.get('/set', { field: 'a', value: 1 });
      const key = `app:r:{${browser.cookies.get('kf.sid')!}}`;
      // Changed behind the store's back: a rolling save that rewrote data would put "1" back.
      await client.hset(key, 'a', '42');
      await client.pexpire(key, 5_000);
      await browser.get('/touch');
      expect(await client.hget(key, 'a')).toBe('42');
      expect(await client.pttl(key)).toBeGreaterThan(5_000);
    } finally {
      await rollingServers.stop();
    }
  });
});
