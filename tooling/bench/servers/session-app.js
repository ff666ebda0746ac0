// The `session` scenario's app, the same routes on either session store (SESSION_STORE):
//   koa-redis  — koa-session + koa-redis; the counter is ctx.session.n = (ctx.session.n || 0) + 1
//   koa-redis-pipelined — the same, with ioredis auto-pipelining (koa-redis passes its options on)
//   koa-fleet  — session(app, { store: redisStore({ client }) }) from the built
//                @koa-fleet/session on an ioredis client with recommendedRedisOptions;
//                the counter is `await incr(ctx, 'n')`
// Both talk to the Redis at REDIS_URL. Routes:
//   /new   sets a field, so every request without a cookie creates (and stores) a session
//   /start creates a session (the caller keeps its cookie)     /incr  adds 1 to the counter n
//   /field?i=<i> sets the field f<i> (f0 without i)             /read  { n, fields: count of f<i> }
import Koa from 'koa';

const FIELD = /^f\d+$/;

export async function createApp() {
  const store = process.env.SESSION_STORE;
  const url = process.env.REDIS_URL;
  if (!url) throw new Error('REDIS_URL is not set');
  const app = new Koa();
  app.keys = ['koa-fleet-bench'];
  let increment;
  if (store === 'koa-redis' || store === 'koa-redis-pipelined') {
    const { default: koaSession } = await import('koa-session');
    const { default: redisStore } = await import('koa-redis');
    const sessionStore = redisStore({
      url,
      ...(store === 'koa-redis-pipelined' ? { enableAutoPipelining: true } : {}),
    });
    await sessionStore.client.ping(); // connected before the worker listens
    app.use(koaSession({ store: sessionStore }, app));
    increment = (ctx) => (ctx.session.n = (ctx.session.n || 0) + 1);
  } else if (store === 'koa-fleet') {
    const { Redis } = await import('ioredis');
    const { incr, recommendedRedisOptions, redisStore, session } =
      await import('@koa-fleet/session');
    const client = new Redis(url, { ...recommendedRedisOptions, lazyConnect: true });
    await client.connect(); // without an offline queue, commands before the connection fail
    app.use(session(app, { store: redisStore({ client }) }));
    increment = (ctx) => incr(ctx, 'n');
  } else {
    throw new Error(
      `SESSION_STORE must be koa-redis, koa-redis-pipelined or koa-fleet, got ${String(store)}`,
    );
  }
  app.use(async (ctx) => {
    switch (ctx.path) {
      case '/new':
        ctx.session.user = 'bench';
        ctx.body = { ok: true };
        return;
      case '/start':
        ctx.session.started = true;
        ctx.body = { ok: true };
        return;
      case '/incr':
        ctx.body = { n: await increment(ctx) };
        return;
      case '/field': {
        const i = Number(ctx.query.i ?? 0); // no i (the warm-up load): f0
        if (!Number.isSafeInteger(i) || i < 0) ctx.throw(400, 'i must be a non-negative integer');
        ctx.session[`f${i}`] = i;
        ctx.body = { ok: true };
        return;
      }
      case '/read':
        ctx.body = {
          n: ctx.session.n ?? 0,
          fields: Object.keys(ctx.session.toJSON()).filter((key) => FIELD.test(key)).length,
        };
        return;
      case '/pid':
        ctx.body = { pid: process.pid };
        return;
      default:
        ctx.status = 404;
    }
  });
  return app;
}
