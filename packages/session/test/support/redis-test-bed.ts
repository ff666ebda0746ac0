import type { Server } from 'node:http';
import type { Redis } from 'ioredis';
import { startRedis, type RedisServer } from '@koa-fleet/testkit';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { connectRedis } from './redis-clients.js';

export interface RedisTestBed {
  redis: RedisServer;
  /** A client of the test's own, for looking at what the store wrote. */
  admin: Redis;
  /** Clients a test opened; disconnected after the file. */
  clients: Redis[];
  /** HTTP servers a test started; closed after each test. */
  servers: Server[];
}

/** One real redis-server for a test file, with the hooks that start and close everything. */
export function useRedisTestBed(): RedisTestBed {
  const bed = { clients: [], servers: [] } as unknown as RedisTestBed;
  beforeAll(async () => {
    bed.redis = await startRedis();
    bed.admin = await connectRedis(bed.redis.port);
  });
  afterEach(() => {
    for (const server of bed.servers.splice(0)) {
      server.closeAllConnections();
      server.close();
    }
  });
  afterAll(async () => {
    for (const client of [bed.admin, ...bed.clients]) client?.disconnect();
    await bed.redis?.stop();
  });
  return bed;
}
