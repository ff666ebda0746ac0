import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import Koa from 'koa';
import { createSession, type CreateSessionOptions } from 'koa-session';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  embeddedSessionPlugin,
  embeddedStore,
  incr,
  memoryStore,
  redisStore,
  type SessionStore,
  type SessionWorkerIpc,
} from '../dist/index.js';
import type { PrimaryIpcHandler, PrimaryIpcHandlerMap } from '@koa-fleet/contracts';
import { connectRedis } from './support/redis-clients.js';
import { useRedisTestBed } from './support/redis-test-bed.js';

// koa-session itself drives each store with the options session() leaves to it: the ids its
// `prefix` and `genid` make, a key outside the cookie (`externalKey`), and `ContextStore`.
const bed = useRedisTestBed();

/** The embedded store with its primary half in this process, messages JSON-copied as over IPC. */
function inProcessEmbeddedStore(): SessionStore {
  let handler: ((type: string, payload: unknown) => unknown) | undefined;
  embeddedSessionPlugin().setup({
    ipc: {
      handle: (_namespace: string, handlers: PrimaryIpcHandlerMap | PrimaryIpcHandler) => {
        const from = { workerId: 1, pid: process.pid };
        handler = (type, payload) =>
          typeof handlers === 'function'
            ? handlers(type, payload, from)
            : handlers[type]!(payload, from);
        return () => {};
      },
    },
  });
  const ipc: SessionWorkerIpc = {
    request: async <T>(_namespace: string, type: string, payload?: unknown) => {
      const copy: unknown = payload === undefined ? undefined : JSON.parse(JSON.stringify(payload));
      const answer = await handler!(type, copy);
      return (answer === undefined ? undefined : JSON.parse(JSON.stringify(answer))) as T;
    },
  };
  return embeddedStore({ ipc });
}

interface StoreKind {
  name: string;
  make(): Promise<SessionStore>;
  /** The keys Redis holds for sessions (redis only). */
  keys?(): Promise<string[]>;
}

const kinds: StoreKind[] = [
  { name: 'memory', make: async () => memoryStore() },
  { name: 'embedded', make: async () => inProcessEmbeddedStore() },
  {
    name: 'redis',
    make: async () => {
      const client = await connectRedis(bed.redis.port);
      bed.clients.push(client);
      return redisStore({ client });
    },
    keys: () => bed.admin.keys('kf:sess:*'),
  },
];

/** koa-session on `store` with `options`; routes: `/` adds the query's fields, `/logout`, `/incr`. */
async function serve(options: CreateSessionOptions): Promise<string> {
  const app = new Koa();
  app.keys = ['k'];
  app.silent = true;
  app.use(createSession(app, options));
  app.use(async (ctx) => {
    const session = ctx.session!;
    if (ctx.path === '/logout') {
      ctx.session = null;
      ctx.body = { ok: true };
      return;
    }
    if (ctx.path === '/incr') {
      ctx.body = { n: await incr(ctx, 'n') };
      return;
    }
    for (const [key, value] of Object.entries(ctx.query)) session[key] = value;
    ctx.body = session.toJSON();
  });
  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  bed.servers.push(server);
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** A client that carries the session in koa-session's cookies, or in a header (externalKey). */
function client(base: string, header?: string) {
  const jar = new Map<string, string>();
  return {
    jar,
    async get(path: string): Promise<{ status: number; body: Record<string, unknown> }> {
      const headers: Record<string, string> = {};
      if (header) {
        if (jar.has(header)) headers[header] = jar.get(header)!;
      } else if (jar.size > 0) {
        headers.cookie = [...jar].map(([name, value]) => `${name}=${value}`).join('; ');
      }
      const response = await fetch(new URL(path, base), { headers });
      if (header) {
        const key = response.headers.get(header);
        if (key) jar.set(header, key);
      }
      for (const line of response.headers.getSetCookie()) {
        const [pair = ''] = line.split(';');
        const name = pair.slice(0, pair.indexOf('='));
        const value = pair.slice(pair.indexOf('=') + 1);
        if (value === '') jar.delete(name);
        else jar.set(name, value);
      }
      const text = await response.text();
      const body = response.ok ? (JSON.parse(text) as Record<string, unknown>) : { text };
      return { status: response.status, body };
    },
  };
}

describe.each(kinds)('koa-session driving the $name store', (kind) => {
  /** Stores, reads back, counts and destroys a session whose id is `expectId`'s kind. */
  async function roundTrip(
    options: Omit<CreateSessionOptions, 'store'>,
    header?: string,
  ): Promise<string> {
    const store = await kind.make();
    const browser = client(await serve({ ...options, store }), header);
    expect((await browser.get('/?user=ada')).body).toEqual({ user: 'ada' });
    const id = header ? browser.jar.get(header)! : browser.jar.get('koa.sess')!;
    expect((await browser.get('/?also=1')).body).toEqual({ user: 'ada', also: '1' });
    expect((await browser.get('/incr')).body).toEqual({ n: 1 });
    expect((await browser.get('/')).body).toEqual({ user: 'ada', also: '1', n: 1 });
    if (kind.keys) expect(await kind.keys()).toEqual([`kf:sess:{${id}}`]);
    expect((await browser.get('/logout')).status).toBe(200);
    // Destroyed: the old id finds nothing, and Redis holds no key for it any more.
    if (header) browser.jar.set(header, id);
    else await expect(store.get(id)).resolves.toBeNull();
    expect((await browser.get('/')).body).toEqual({});
    if (kind.keys) expect(await kind.keys()).toEqual([]);
    return id;
  }

  afterEach(async () => {
    if (kind.keys) await bed.admin.flushall();
  });

  it('keeps sessions whose ids carry koa-session’s prefix, and destroys them', async () => {
    const id = await roundTrip({ prefix: 'sess:' });
    expect(id).toMatch(/^sess:[0-9a-f-]{36}$/);
  });

  it('keeps sessions under ids from a genid of cookie-safe characters', async () => {
    const id = await roundTrip({ genid: () => `app.v1:${randomUUID()}=` });
    expect(id).toMatch(/^app\.v1:[0-9a-f-]{36}=$/);
  });

  it('keeps sessions whose key travels outside the cookie (externalKey)', async () => {
    const header = 'x-session';
    const id = await roundTrip(
      {
        externalKey: {
          get: (ctx: Koa.Context) => ctx.get(header),
          set: (ctx: Koa.Context, key: string) => ctx.set(header, key),
        },
      },
      header,
    );
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('refuses ids a genid makes outside the rule in set and destroy alike, writing nothing', async () => {
    for (const bad of [
      '{tag}-0123456789abcdef',
      'short',
      'x'.repeat(129),
      'has space 0123456789',
    ]) {
      const store = await kind.make();
      const browser = client(await serve({ store, genid: () => bad }));
      const set = await browser.get('/?user=ada');
      expect(set.status).toBe(500);
      expect((await browser.get('/logout')).status).toBe(500);
      await expect(store.set(bad, { user: 'ada' })).rejects.toMatchObject({
        code: 'KF_SESSION_USAGE',
        message: expect.stringContaining('is not 16 to 128 characters'),
      });
      await expect(store.destroy(bad)).rejects.toMatchObject({ code: 'KF_SESSION_USAGE' });
      // get answers "no session" for such an id, as for any forged cookie.
      await expect(store.get(bad)).resolves.toBeNull();
    }
    if (kind.keys) expect(await kind.keys()).toEqual([]);
  });

  it('is bypassed by a ContextStore, which replaces `store`; one delegating to it works', async () => {
    const store = await kind.make();
    const get = vi.spyOn(store, 'get');
    const set = vi.spyOn(store, 'set');
    // koa-session news a ContextStore per request and never calls `store` then.
    class OwnStore {
      static data = new Map<string, unknown>();
      async get(key: string) {
        return OwnStore.data.get(key);
      }
      async set(key: string, value: unknown) {
        OwnStore.data.set(key, value);
      }
      async destroy(key: string) {
        OwnStore.data.delete(key);
      }
    }
    const bypassing = client(await serve({ store, ContextStore: OwnStore }));
    await bypassing.get('/?user=ada');
    expect((await bypassing.get('/')).body).toEqual({ user: 'ada' });
    expect(OwnStore.data.size).toBe(1);
    expect(get).not.toHaveBeenCalled();
    expect(set).not.toHaveBeenCalled();

    // A ContextStore that hands each call (and its ctx) on to this store gets its semantics.
    class Delegating {
      constructor(readonly ctx: Koa.Context) {}
      get(key: string, maxAge: number, options: { rolling: boolean }) {
        return store.get(key, maxAge, { ...options, ctx: this.ctx });
      }
      set(key: string, value: Record<string, unknown>, maxAge: number, options: object) {
        return store.set(key, value, maxAge, { ...options, ctx: this.ctx });
      }
      destroy(key: string) {
        return store.destroy(key, { ctx: this.ctx });
      }
    }
    // `store` is passed too: incr() finds this package's store in ctx.sessionOptions.store.
    const delegating = client(await serve({ store, ContextStore: Delegating }));
    await delegating.get('/?user=grace');
    expect((await delegating.get('/incr')).body).toEqual({ n: 1 });
    expect((await delegating.get('/')).body).toEqual({ user: 'grace', n: 1 });
    expect(get).toHaveBeenCalled();
    expect(set).toHaveBeenCalled();
  });
});
