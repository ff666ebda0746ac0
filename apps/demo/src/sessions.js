// @ts-check
import { Redis } from 'ioredis';
import { embeddedStore, recommendedRedisOptions, redisStore } from '@koa-fleet/session';

/**
 * The session store a worker uses: Redis when REDIS_URL is set (sessions shared by every
 * machine), otherwise the store embedded in the fleet's primary (shared by this machine's
 * workers, zero set-up).
 * @param {import('@koa-fleet/cluster').WorkerContext} worker
 * @param {string | undefined} redisUrl
 */
export function sessionStoreFor(worker, redisUrl) {
  if (!redisUrl)
    return { kind: 'embedded', store: embeddedStore({ ipc: worker.ipc }), redis: undefined };
  // Fail fast while Redis is down: requests get a 503, readiness turns red, nothing queues.
  const redis = new Redis(redisUrl, recommendedRedisOptions);
  redis.on('error', () => {}); // reported by the health check and the 503s, not as crashes
  return { kind: 'redis', store: redisStore({ client: redis }), redis };
}
