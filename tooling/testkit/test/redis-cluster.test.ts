import { Cluster, Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { startRedisCluster, type RedisClusterServer } from '../src/index.js';

describe('startRedisCluster', () => {
  let cluster: RedisClusterServer | undefined;
  afterAll(() => cluster?.stop());

  it('serves SET/GET on keys in different slots through ioredis Cluster', async () => {
    cluster = await startRedisCluster();
    expect(cluster.nodes).toHaveLength(3);
    const client = new Cluster(cluster.nodes);
    try {
      const keys = Array.from({ length: 30 }, (_, index) => `key-${index}`);
      for (const key of keys) await client.set(key, `value of ${key}`);
      for (const key of keys) expect(await client.get(key)).toBe(`value of ${key}`);
      // The keys really are spread over more than one master.
      const slots = new Set(await Promise.all(keys.map((key) => client.cluster('KEYSLOT', key))));
      const owners = new Set<number>();
      for (const node of client.nodes('master')) {
        if ((await node.dbsize()) > 0) owners.add(node.options.port ?? 0);
      }
      expect(slots.size).toBeGreaterThan(1);
      expect(owners.size).toBe(3);
    } finally {
      client.disconnect();
    }
  });

  it('brings a killed master back on its port with its slots', async () => {
    cluster ??= await startRedisCluster();
    await cluster.kill(1);
    await cluster.restart(1);
    const client = new Cluster(cluster.nodes);
    try {
      const keys = Array.from({ length: 30 }, (_, index) => `after-restart-${index}`);
      for (const key of keys) await client.set(key, key);
      for (const key of keys) expect(await client.get(key)).toBe(key);
      const masters = client.nodes('master').map((node) => node.options.port);
      expect(masters.sort()).toEqual(cluster.nodes.map((node) => node.port).sort());
    } finally {
      client.disconnect();
    }
  });

  it('with durable, a killed master comes back with the keys it acknowledged', async () => {
    const durable = await startRedisCluster({ durable: true });
    const client = new Cluster(durable.nodes, { clusterRetryStrategy: () => 100 });
    client.on('error', () => {}); // the kill below makes the client report errors by design
    try {
      const keys = Array.from({ length: 30 }, (_, index) => `durable-${index}`);
      for (const key of keys) await client.set(key, key);
      const victim = durable.nodes[0]!;
      const direct = new Redis(victim.port, victim.host);
      const onVictim = await direct.dbsize().finally(() => direct.disconnect());
      expect(onVictim).toBeGreaterThan(0);
      await durable.kill(0);
      await durable.restart(0);
      const readAll = () => Promise.all(keys.map((key) => client.get(key))).catch(() => 'down');
      await expect.poll(readAll, { timeout: 30_000, interval: 200 }).toEqual(keys);
    } finally {
      client.disconnect();
      await durable.stop();
    }
  });

  it('passes args to every node', async () => {
    const partial = await startRedisCluster({ args: ['--cluster-require-full-coverage', 'no'] });
    try {
      for (const { host, port } of partial.nodes) {
        const node = new Redis(port, host);
        const setting = await node
          .config('GET', 'cluster-require-full-coverage')
          .finally(() => node.disconnect());
        expect(setting).toEqual(['cluster-require-full-coverage', 'no']);
      }
    } finally {
      await partial.stop();
    }
  });

  it('rejects args that are not strings naming the option', async () => {
    await expect(startRedisCluster({ args: [7 as unknown as string] })).rejects.toMatchObject({
      code: 'KF_INVALID_OPTION',
      message: expect.stringContaining('"args"'),
    });
  });

  it('rejects fewer than 3 masters naming the option', async () => {
    await expect(startRedisCluster({ masters: 2 })).rejects.toMatchObject({
      code: 'KF_INVALID_OPTION',
      message: expect.stringContaining('"masters"'),
    });
  });
});
