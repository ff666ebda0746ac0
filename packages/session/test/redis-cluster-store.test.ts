import type { Cluster } from 'ioredis';
import { startRedisCluster, type RedisClusterServer } from '@koa-fleet/testkit';
import { redisStore } from '../dist/index.js';
import { inProcessServers } from './support/in-process.js';
import { connectCluster } from './support/redis-clients.js';
import { describeStoreSuite } from './support/store-suite.js';

// A real 3-master Redis Cluster; sessions spread over all slots by their id hash tag.
describeStoreSuite('Redis Cluster (3 masters)', async () => {
  const cluster: RedisClusterServer = await startRedisCluster({ masters: 3 });
  const clients: Cluster[] = [];
  return {
    start: async (config) =>
      inProcessServers(2, config, async (storeOptions) => {
        const client = await connectCluster(cluster.nodes);
        clients.push(client);
        return redisStore({ client, ...storeOptions });
      }),
    close: async () => {
      for (const client of clients) client.disconnect();
      await cluster.stop();
    },
  };
});
