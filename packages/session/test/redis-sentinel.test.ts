import { Redis } from 'ioredis';
import { startRedis } from '@koa-fleet/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { recommendedRedisOptions, redisStore } from '../dist/index.js';
import { Browser, data } from './support/browser.js';
import { inProcessServers } from './support/in-process.js';
import { startSentinel } from './support/sentinel.js';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe('Sentinel-backed client', () => {
  it('stores merged fields and atomic counters through a client that finds the master via Sentinel', async () => {
    const master = await startRedis();
    cleanups.push(() => master.stop());
    const sentinel = await startSentinel(master.port);
    cleanups.push(() => sentinel.stop());
    const client = new Redis({
      sentinels: [{ host: '127.0.0.1', port: sentinel.port }],
      name: 'mymaster',
      ...recommendedRedisOptions,
    });
    client.on('error', () => {});
    cleanups.push(() => client.disconnect());
    await new Promise((resolve) => client.once('ready', resolve));
    const servers = await inProcessServers(1, {}, () => redisStore({ client }));
    cleanups.push(() => servers.stop());

    const browser = new Browser(servers.urls);
    await browser.get('/set', { field: 'a', value: 1 });
    await Promise.all(Array.from({ length: 50 }, () => browser.get('/incr', { field: 'n' })));
    expect(data(await browser.get('/get'))).toEqual({ a: 1, n: 50 });
    const direct = new Redis(master.port, '127.0.0.1');
    cleanups.push(() => direct.disconnect());
    expect(await direct.hget(`kf:sess:{${browser.cookies.get('kf.sid')!}}`, 'n')).toBe('50');
  });
});
