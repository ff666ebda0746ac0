import type { Cluster } from 'ioredis';
import { type RedisClusterServer, startRedisCluster, waitFor } from '@koa-fleet/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { redisStore, sessionHealthCheck } from '../dist/index.js';
import { Browser } from './support/browser.js';
import { inProcessServers } from './support/in-process.js';
import { connectCluster } from './support/redis-clients.js';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** Index (in cluster.nodes) of the master serving `key`. */
async function masterOf(
  client: Cluster,
  cluster: RedisClusterServer,
  key: string,
): Promise<number> {
  const slot = Number(await client.cluster('KEYSLOT', key));
  const ranges = await client.cluster('SLOTS');
  const [, , master] = ranges.find(([from, to]) => slot >= from && slot <= to)!;
  return cluster.nodes.findIndex((node) => node.port === master![1]);
}

describe('Redis Cluster outage', () => {
  it('answers 503 while a master is down, turns readiness red, and serves again once it is back', async () => {
    const cluster = await startRedisCluster({ masters: 3 });
    cleanups.push(() => cluster.stop());
    const client = await connectCluster(cluster.nodes);
    cleanups.push(() => client.disconnect());
    const store = redisStore({ client, logger: { warn: () => {} } });
    const health = sessionHealthCheck(store);
    const servers = await inProcessServers(1, {}, () => store);
    cleanups.push(() => servers.stop());

    const browser = new Browser(servers.urls);
    await browser.get('/set', { field: 'a', value: 1 });
    const victim = await masterOf(client, cluster, `kf:sess:{${browser.cookies.get('kf.sid')!}}`);
    await expect(health.check()).resolves.toMatchObject({ observedUnit: 'ms' });

    await cluster.kill(victim);
    await waitFor('a 503 for the session on the dead master', async () => {
      const reply = await browser.get('/get');
      if (reply.status === 503) {
        expect(reply.headers.get('retry-after')).toBe('1');
        expect((reply.body.error as { code: string }).code).toBe('KF_SESSION_UNAVAILABLE');
      } else expect(reply.status).toBe(200);
      return reply.status === 503;
    });
    await waitFor('readiness to turn red', () =>
      health.check().then(
        () => false,
        (error: { code?: string }) => error.code === 'KF_SESSION_UNAVAILABLE',
      ),
    );
    expect((await browser.get('/ping')).status).toBe(200);

    await cluster.restart(victim);
    // No request has reached the returned master yet: readiness must see it anyway (ioredis
    // drops a dead node from its pool and adds it back only on a slots refresh).
    await waitFor(
      'readiness after the master returned',
      () =>
        health.check().then(
          () => true,
          () => false,
        ),
      30_000,
    );
    // The restarted master kept nothing (no persistence in tests); every slot serves again.
    const fresh = new Browser(servers.urls);
    await waitFor(
      'a new session to be stored',
      async () => (await fresh.get('/set', { field: 'b', value: 2 })).status === 200,
      30_000,
    );
    for (let i = 0; i < 5; i++) {
      expect((await new Browser(servers.urls).get('/set', { field: 'c', value: i })).status).toBe(
        200,
      );
    }
  }, 90_000); // two 30 s recovery budgets and a cluster start
});
