import type { Redis } from 'ioredis';
import { startRedis, type RedisServer } from '@koa-fleet/testkit';
import { redisStore } from '../dist/index.js';
import { inProcessServers } from './support/in-process.js';
import { connectRedis } from './support/redis-clients.js';
import { describeStoreSuite } from './support/store-suite.js';

// Two servers, each with its own connection to one real redis-server.
describeStoreSuite('single Redis', async () => {
  const redis: RedisServer = await startRedis();
  const clients: Redis[] = [];
  return {
    start: async (config) =>
      inProcessServers(2, config, async (storeOptions) => {
        const client = await connectRedis(redis.port);
        clients.push(client);
        return redisStore({ client, ...storeOptions });
      }),
    close: async () => {
      for (const client of clients) client.disconnect();
      await redis.stop();
    },
  };
});
