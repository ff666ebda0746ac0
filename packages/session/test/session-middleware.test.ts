import type { AddressInfo } from 'node:net';
import Koa from 'koa';
import { createSession } from 'koa-session';
import { describe, expect, it } from 'vitest';
import { incr, redisStore, session, type Session, type SessionStore } from '../dist/index.js';
import { Browser } from './support/browser.js';
import { commandCalls, connectRedis } from './support/redis-clients.js';
import { useRedisTestBed } from './support/redis-test-bed.js';

// What the session() middleware does beyond the store suite: koa-session's cookie format and
// API, and no write for a request that has nothing to write. All on one real redis-server.
const bed = useRedisTestBed();

async function store(): Promise<SessionStore> {
  const client = await connectRedis(bed.redis.port);
  bed.clients.push(client);
  return redisStore({ client });
}

type Route = (ctx: Koa.Context) => unknown;

/** A Koa server on a free port: `install` adds the session middleware, `route` answers. */
async function serve(
  keys: string[],
  install: (app: Koa) => Koa.Middleware | Promise<Koa.Middleware>,
  route: Route,
) {
  const app = new Koa();
  app.keys = keys;
  app.silent = true;
  app.use(await install(app));
  app.use(async (ctx) => {
    const body = await route(ctx);
    if (ctx.body === undefined) ctx.body = body ?? { ok: true };
  });
  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  bed.servers.push(server);
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const fields = (ctx: Koa.Context) => (ctx.session as Session).toJSON();
const setFromQuery: Route = (ctx) => {
  for (const [key, value] of Object.entries(ctx.query)) (ctx.session as Session)[key] = value;
  return fields(ctx);
};

/** Top-level Redis commands the store sent since the last reset (scripts' inner calls aside). */
async function commandsSince(): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const [name, calls] of Object.entries(await commandCalls(bed.admin))) {
    if (['hgetall', 'evalsha', 'eval', 'del', 'script'].includes(name)) counts[name] = calls;
  }
  return counts;
}
const resetCommands = () => bed.admin.config('RESETSTAT');

describe('session() middleware', () => {
  it('reads and writes cookies koa-session reads and writes, so an app can switch either way', async () => {
    const koaSessionUrl = await serve(
      ['k1'],
      async (app) => createSession(app, { store: await store(), key: 'kf.sid' }),
      setFromQuery,
    );
    const fleetUrl = await serve(
      ['k1'],
      async (app) => session(app, { store: await store() }),
      setFromQuery,
    );
    const browser = new Browser([koaSessionUrl, fleetUrl]);

    await browser.get('/', { from: 'koa-session' }, 0);
    expect((await browser.get('/', {}, 1)).body).toEqual({ from: 'koa-session' });
    await browser.get('/', { also: 'fleet' }, 1);
    expect((await browser.get('/', {}, 0)).body).toEqual({ from: 'koa-session', also: 'fleet' });
  });

  it('writes nothing for a request that only reads the session: no cookie, no store write', async () => {
    const url = await serve(
      ['k'],
      async (app) => session(app, { store: await store() }),
      setFromQuery,
    );
    const browser = new Browser([url]);
    await browser.get('/', { user: 'ada' });
    await resetCommands();
    const reply = await browser.get('/');
    expect(reply.body).toEqual({ user: 'ada' });
    expect(reply.setCookies).toEqual([]);
    expect(await commandsSince()).toEqual({ hgetall: 1 });
  });

  it('incr() on a stored session costs one read and one atomic script, and no cookie', async () => {
    const url = await serve(
      ['k'],
      async (app) => session(app, { store: await store() }),
      async (ctx) => (ctx.path === '/incr' ? { n: await incr(ctx, 'n') } : setFromQuery(ctx)),
    );
    const browser = new Browser([url]);
    await browser.get('/', { user: 'ada' });
    await browser.get('/incr');
    await resetCommands();
    const reply = await browser.get('/incr');
    expect(reply.body).toEqual({ n: 2 });
    expect(reply.setCookies).toEqual([]);
    expect(await commandsSince()).toEqual({ hgetall: 1, evalsha: 1 });
    expect((await browser.get('/')).body).toEqual({ user: 'ada', n: 2 });
  });

  it('accepts a cookie signed with an older key of app.keys and signs it again with the newest', async () => {
    const shared = await store();
    const oldUrl = await serve(['old'], (app) => session(app, { store: shared }), setFromQuery);
    const rotatedUrl = await serve(
      ['new', 'old'],
      (app) => session(app, { store: shared }),
      setFromQuery,
    );
    const browser = new Browser([oldUrl, rotatedUrl]);
    await browser.get('/', { user: 'ada' }, 0);
    const beforeRotation = new Map(browser.cookies);

    const rotated = await browser.get('/', {}, 1);
    expect(rotated.body).toEqual({ user: 'ada' });
    expect(rotated.setCookies).toHaveLength(2);
    expect(browser.cookies.get('kf.sid.sig')).not.toBe(beforeRotation.get('kf.sid.sig'));

    // Once the old key is dropped, only the re-signed cookie still opens the session.
    const newOnlyUrl = await serve(['new'], (app) => session(app, { store: shared }), setFromQuery);
    const withCookies = (cookies: Map<string, string>) => {
      const client = new Browser([newOnlyUrl]);
      for (const [name, value] of cookies) client.cookies.set(name, value);
      return client;
    };
    expect((await withCookies(beforeRotation).get('/')).body).toEqual({});
    expect((await withCookies(browser.cookies).get('/')).body).toEqual({ user: 'ada' });
  });

  it('replaces the fields on ctx.session = {…} and keeps a per-session maxAge set by the route', async () => {
    const url = await serve(
      ['k'],
      async (app) => session(app, { store: await store(), maxAge: 60_000 }),
      (ctx) => {
        // Replaced before anything reads the session.
        if (ctx.path === '/replace') ctx.session = { only: 'this' } as never; // a plain object, typed as a Session
        if (ctx.path === '/clear') ctx.session = {} as never;
        const current = ctx.session as Session;
        if (ctx.path === '/remember') current.maxAge = 7 * 86_400_000;
        if (ctx.path === '/name') current.name = String(ctx.query.name);
        return { ...fields(ctx), maxAge: (ctx.session as Session).maxAge };
      },
    );
    const browser = new Browser([url]);
    await browser.get('/name', { name: 'ada' });
    await browser.get('/', {});
    expect((await browser.get('/replace')).body).toEqual({ only: 'this', maxAge: 60_000 });
    expect((await browser.get('/')).body).toEqual({ only: 'this', maxAge: 60_000 });
    // Every stored field goes, though the route never read them.
    await browser.get('/name', { name: 'tmp' });
    expect((await browser.get('/clear')).body).toEqual({ maxAge: 60_000 });
    expect((await browser.get('/')).body).toEqual({ maxAge: 60_000 });
    await browser.get('/replace');

    const remembered = await browser.get('/remember');
    const expires = Date.parse(/expires=([^;]+)/.exec(remembered.setCookies[0]!)![1]!);
    expect(expires - Date.now()).toBeGreaterThan(6 * 86_400_000);
    // A later request that changes a field keeps the longer life (stored with the session).
    const renamed = await browser.get('/name', { name: 'grace' });
    expect(renamed.body).toEqual({ only: 'this', name: 'grace', maxAge: 7 * 86_400_000 });
    const laterExpires = Date.parse(/expires=([^;]+)/.exec(renamed.setCookies[0]!)![1]!);
    expect(laterExpires - Date.now()).toBeGreaterThan(6 * 86_400_000);
  });

  it('takes maxAge and ctx.session.maxAge as text durations, like ms', async () => {
    const url = await serve(
      ['k'],
      async (app) => session(app, { store: await store(), maxAge: '1h' }),
      (ctx) => {
        if (ctx.path === '/remember') (ctx.session as Session).maxAge = '7d';
        if (ctx.path === '/bad') (ctx.session as Session).maxAge = 'soon';
        setFromQuery(ctx);
        return { ...fields(ctx), maxAge: (ctx.session as Session).maxAge };
      },
    );
    const browser = new Browser([url]);
    const expiresIn = (line: string | undefined) =>
      Date.parse(/expires=([^;]+)/.exec(line ?? '')![1]!) - Date.now();
    const first = await browser.get('/', { user: 'ada' });
    expect(first.body).toEqual({ user: 'ada', maxAge: 3_600_000 });
    expect(expiresIn(first.setCookies[0])).toBeGreaterThan(3_500_000);
    expect(expiresIn(first.setCookies[0])).toBeLessThanOrEqual(3_600_000);
    const remembered = await browser.get('/remember');
    expect(remembered.body).toEqual({ user: 'ada', maxAge: 7 * 86_400_000 });
    expect(expiresIn(remembered.setCookies[0])).toBeGreaterThan(6 * 86_400_000);
    expect((await browser.get('/bad')).status).toBe(500);
  });

  it('saves what a failing route changed in a stored session, as koa-session does, and lets its error through', async () => {
    const url = await serve(
      ['k'],
      async (app) => session(app, { store: await store() }),
      (ctx) => {
        if (ctx.path === '/fail') {
          (ctx.session as Session).tried = true;
          ctx.throw(422, 'no');
        }
        return setFromQuery(ctx);
      },
    );
    const browser = new Browser([url]);
    await browser.get('/', { user: 'ada' });
    expect((await browser.get('/fail')).status).toBe(422);
    expect((await browser.get('/')).body).toEqual({ user: 'ada', tried: true });
  });

  it('puts path and domain into the cookie, with the koa-session attribute order', async () => {
    const url = await serve(
      ['k'],
      async (app) => session(app, { store: await store(), path: '/app', domain: 'localhost' }),
      setFromQuery,
    );
    const reply = await new Browser([url]).get('/', { a: '1' });
    expect(reply.setCookies).toHaveLength(2);
    expect(reply.setCookies[0]).toMatch(
      /^kf\.sid=[\w-]{24}; path=\/app; expires=[^;]+ GMT; domain=localhost; samesite=lax; httponly$/,
    );
    expect(reply.setCookies[1]).toMatch(/^kf\.sid\.sig=[\w-]{27}; path=\/app; expires=/);
  });
});
