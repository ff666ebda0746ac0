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

describe('session() arguments as koa-session users write them', () => {
  const app = new Koa();
  app.keys = ['k'];
  const thrown = (make: () => unknown): InvalidOptionError => {
    try {
      make();
    } catch (error) {
      expect(error).toBeInstanceOf(InvalidOptionError);
      return error as InvalidOptionError;
    }
    throw new Error('expected an InvalidOptionError');
  };

  it('says the arguments are swapped for session(options, app), koa-session’s order', () => {
    const error = thrown(() => session({ store: memoryStore() } as never, app as never));
    expect(error.code).toBe('KF_INVALID_OPTION');
    expect(error.option).toBe('app');
    expect(error.message).toBe(
      'session(app, options): the arguments are swapped — koa-session takes (options, app), ' +
        'session() takes (app, options)',
    );
  });

  it('names koa-session options session() does not implement as unsupported, not unknown', () => {
    const koaSessionOnly = {
      autoCommit: false,
      externalKey: { get: () => 'x', set: () => {} },
      ContextStore: class {},
      genid: () => 'x',
      prefix: 'sess:',
      encode: String,
      decode: String,
      valid: () => true,
      beforeSave: () => {},
    };
    for (const [option, value] of Object.entries(koaSessionOnly)) {
      const error = thrown(() => session(app, { store: memoryStore(), [option]: value }));
      expect(error.option).toBe(option);
      expect(error.message).toBe(
        `option "${option}" is not supported by session(); ` +
          'use koa-session with this store (koaSession(app, { store }))',
      );
    }
    expect(
      thrown(() => session(app, { store: memoryStore(), maxAgee: 1 } as never)).message,
    ).toMatch(/one of the known options/);
  });

  it('takes maxAge as ms or text, as the stores take ttl', () => {
    for (const maxAge of [3_600_000, '1h', '1d', '90m', 'session']) {
      expect(typeof session(app, { store: memoryStore(), maxAge })).toBe('function');
    }
    for (const maxAge of ['forever', 0, '0s', -1, '']) {
      rejects(() => session(app, { store: memoryStore(), maxAge }), 'maxAge');
    }
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
