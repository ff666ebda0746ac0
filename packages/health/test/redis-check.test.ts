import { Redis } from 'ioredis';
import Koa from 'koa';
import { startRedis, type RedisServer } from '@koa-fleet/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checks, health, type HealthMiddleware } from '../src/index.js';
import { getJson, serve, type Served } from './support/serve.js';

let redis: RedisServer;
let client: Redis;
let served: Served;
let middleware: HealthMiddleware;

beforeAll(async () => {
  redis = await startRedis();
  // Retry quickly so the client is back soon after the restart; the check itself never waits on it.
  client = new Redis(redis.url, { retryStrategy: () => 100, maxRetriesPerRequest: 1 });
  client.on('error', () => {}); // reconnect noise while the server is down is expected here
  middleware = health({
    shutdownSignals: [],
    checks: [checks.redis(client, { interval: 0, timeout: '2s' })],
  });
  served = await serve(new Koa().use(middleware));
});

afterAll(async () => {
  middleware?.close();
  await served?.close();
  client?.disconnect();
  await redis?.stop();
});

async function until(predicate: () => Promise<boolean>, deadlineMs = 30_000): Promise<void> {
  const deadline = Date.now() + deadlineMs;
  while (!(await predicate())) {
    if (Date.now() > deadline) throw new Error('condition not reached before the deadline');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const readyz = () => getJson(`${served.url}/readyz`);

describe('checks.redis against a real redis-server', () => {
  it('passes while Redis answers PING, observing the round trip in ms', async () => {
    await until(async () => client.status === 'ready');
    const { status, body } = await readyz();
    expect(status).toBe(200);
    expect(body.checks?.redis?.[0]).toMatchObject({
      status: 'pass',
      componentType: 'datastore',
      observedUnit: 'ms',
    });
    expect(typeof body.checks?.redis?.[0]?.observedValue).toBe('number');
  });

  it('fails when Redis is killed and passes again after it restarts', async () => {
    await redis.kill();
    await until(async () => (await readyz()).status === 503);
    const down = await readyz();
    expect(down.body.checks?.redis?.[0]).toMatchObject({ status: 'fail' });
    expect(String(down.body.checks?.redis?.[0]?.output)).not.toBe('');

    await redis.restart();
    await until(async () => (await readyz()).status === 200);
    expect((await readyz()).body.checks?.redis?.[0]).toMatchObject({ status: 'pass' });
  });
});
