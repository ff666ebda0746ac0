import { Redis } from 'ioredis';
import type { WorkerContext } from '@koa-fleet/cluster';
import {
  embeddedStore,
  recommendedRedisOptions,
  redisStore,
  type SessionStore,
} from '@koa-fleet/session';

export interface DemoSessionStore {
  /** For the page and `/session`: where the sessions live. */
  kind: 'embedded' | 'redis';
  store: SessionStore;
  /** The Redis client, for the readiness check; undefined for the embedded store. */
  redis: Redis | undefined;
}

/**
 * The session store a worker uses: Redis when `redisUrl` is set (sessions shared by every
 * machine), otherwise the store embedded in the fleet's primary (shared by this machine's
 * workers, zero set-up).
 */
export function sessionStoreFor(
  worker: WorkerContext,
  redisUrl: string | undefined,
): DemoSessionStore {
  if (!redisUrl)
    return { kind: 'embedded', store: embeddedStore({ ipc: worker.ipc }), redis: undefined };
  // Fail fast while Redis is down: requests get a 503, readiness turns red, nothing queues.
  const redis = new Redis(redisUrl, recommendedRedisOptions);
  redis.on('error', () => {}); // reported by the health check and the 503s, not as crashes
  return { kind: 'redis', store: redisStore({ client: redis }), redis };
}
