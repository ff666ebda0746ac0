import { fileURLToPath } from 'node:url';
import { spawnNode, startRedis, type RedisServer } from '@koa-fleet/testkit';
import { describeStoreSuite } from './support/store-suite.js';

const server = fileURLToPath(new URL('./fixtures/server.mjs', import.meta.url));

// Three separate node processes sharing sessions through one redis-server.
describeStoreSuite('single Redis (3 processes)', async () => {
  const redis: RedisServer = await startRedis();
  return {
    start: async (config) => {
      const env = {
        REDIS_URL: redis.url,
        STORE_OPTIONS: JSON.stringify(config.store ?? {}),
        SESSION_OPTIONS: JSON.stringify(config.session ?? {}),
      };
      const processes = await Promise.all(
        [0, 1, 2].map(() => spawnNode(server, { env, readyLine: /listening \d+/ })),
      );
      const ports = processes.map((p) => /listening (\d+)/.exec(p.stdout())![1]);
      return {
        urls: ports.map((port) => `http://127.0.0.1:${port}`),
        stop: async () => {
          await Promise.all(processes.map((p) => p.stop()));
        },
      };
    },
    close: () => redis.stop(),
  };
});
