import { Cluster } from 'ioredis';
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

  it('rejects fewer than 3 masters naming the option', async () => {
    await expect(startRedisCluster({ masters: 2 })).rejects.toMatchObject({
      code: 'KF_INVALID_OPTION',
      message: expect.stringContaining('"masters"'),
    });
  });
});
