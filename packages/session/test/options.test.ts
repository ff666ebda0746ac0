import Koa from 'koa';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import {
  embeddedSessionPlugin,
  embeddedStore,
  InvalidOptionError,
  memoryStore,
  recommendedRedisOptions,
  redisStore,
  session,
  sessionHealthCheck,
} from '../dist/index.js';

// lazyConnect: these clients never open a connection; only their options are inspected.
const clients: Redis[] = [];
const lazyClient = (options: Record<string, unknown> = {}): Redis => {
  const client = new Redis({ lazyConnect: true, ...options });
  clients.push(client);
  return client;
};
afterAll(() => clients.forEach((client) => client.disconnect()));
const silent = { warn: () => {} };

const rejects = (make: () => unknown, option: string) => {
  let error: unknown;
  try {
    make();
  } catch (caught) {
    error = caught;
  }
  expect(error).toBeInstanceOf(InvalidOptionError);
  expect((error as InvalidOptionError).option).toBe(option);
};

describe('options are validated at construction', () => {
  it('names the wrong redisStore option', () => {
    const client = lazyClient(recommendedRedisOptions);
    rejects(() => redisStore({ client: {} as Redis }), 'client');
    rejects(() => redisStore({ client, prefix: 'a{b}' }), 'prefix');
    rejects(() => redisStore({ client, ttl: 'forever' }), 'ttl');
    rejects(() => redisStore({ client, conflicts: 'merge' as 'compare-and-set' }), 'conflicts');
    rejects(() => redisStore({ client, maxBytes: 'huge' }), 'maxBytes');
    rejects(() => redisStore({ client, retryAfter: -1 }), 'retryAfter');
    rejects(
      () => redisStore({ client, serializer: { stringify: JSON.stringify } as never }),
      'serializer.parse',
    );
    rejects(() => redisStore({ client, prefx: 'x' } as never), 'prefx');
  });

  it('names the wrong memory, embedded and session() option', () => {
    rejects(() => memoryStore({ maxSessions: 0 }), 'maxSessions');
    rejects(() => embeddedStore({} as never), 'ipc');
    rejects(() => embeddedSessionPlugin({ maxSessions: 1.5 }), 'maxSessions');
    const app = new Koa();
    rejects(() => session(app, { store: memoryStore() }), 'app.keys');
    app.keys = ['k'];
    rejects(() => session(app, { store: {} as never }), 'store');
    rejects(() => session(app, { store: memoryStore(), maxAge: -5 }), 'maxAge');
    rejects(() => session(app, { store: memoryStore(), rolling: 'yes' as never }), 'rolling');
    rejects(() => session(app, { store: memoryStore(), sameSite: 'loose' as never }), 'sameSite');
    rejects(() => session(app, { store: memoryStore(), key: 'my session' }), 'key');
    rejects(() => session(app, { store: memoryStore(), path: '' }), 'path');
    rejects(() => session(app, { store: memoryStore(), path: '/; domain=evil' }), 'path');
    rejects(() => session(app, { store: memoryStore(), domain: 42 as never }), 'domain');
    app.keys = [] as string[];
    rejects(() => session(app, { store: memoryStore() }), 'app.keys');
  });
});

describe('Redis client settings', () => {
  it('warns when a passed client would queue commands while Redis is down', () => {
    const warnings: Array<Record<string, unknown>> = [];
    const logger = { warn: (details: Record<string, unknown>) => warnings.push(details) };
    redisStore({ client: lazyClient({ maxRetriesPerRequest: null }), logger });
    expect(warnings).toHaveLength(1);
    expect(warnings[0]!.problems).toEqual([
      'enableOfflineQueue is not false',
      'maxRetriesPerRequest is null (retries forever)',
      'commandTimeout is not set',
    ]);
  });

  it('stays quiet with the recommended options', () => {
    const warnings: unknown[] = [];
    redisStore({
      client: lazyClient(recommendedRedisOptions),
      logger: { warn: (d) => warnings.push(d) },
    });
    redisStore({ client: lazyClient(recommendedRedisOptions), logger: silent });
    expect(warnings).toEqual([]);
  });
});

describe('sessionHealthCheck', () => {
  it('has the @koa-fleet/health check shape and passes for a reachable store', async () => {
    const check = sessionHealthCheck(memoryStore());
    expect(check).toMatchObject({
      name: 'session:memory',
      critical: true,
      componentType: 'datastore',
    });
    await expect(check.check()).resolves.toMatchObject({ observedUnit: 'ms' });
  });
});
