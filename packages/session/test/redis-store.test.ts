import { Redis } from 'ioredis';
import { startRedis, type RedisServer } from '@koa-fleet/testkit';
import { recommendedRedisOptions, redisStore } from '../dist/index.js';
import { inProcessServers } from './support/in-process.js';
import { describeStoreSuite } from './support/store-suite.js';

// Two servers, each with its own connection to one real redis-server.
describeStoreSuite('single Redis', async () => {
  const redis: RedisServer = await startRedis();
  const clients: Redis[] = [];
  return {
    start: async (config) =>
      inProcessServers(2, config, async (storeOptions) => {
        const client = new Redis(redis.port, '127.0.0.1', recommendedRedisOptions);
        clients.push(client);
        // Without an offline queue, commands sent before the connection is up fail fast.
        await new Promise((resolve) => client.once('ready', resolve));
        return redisStore({ client, ...storeOptions });
      }),
    close: async () => {
      for (const client of clients) client.disconnect();
      await redis.stop();
    },
  };
});
