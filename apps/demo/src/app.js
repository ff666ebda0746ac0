// @ts-check
// The entry every worker loads: one Koa app with probes, metrics, shared sessions and a page that
// shows which worker answered — reload the page and watch the workers take turns while the
// visit counter (stored in the shared session) keeps counting.
import Koa from 'koa';
import { checks, health } from '@koa-fleet/health';
import { append, incr, session, sessionHealthCheck } from '@koa-fleet/session';
import { readConfig } from './config.js';
import { renderPage } from './page.js';
import { sessionStoreFor } from './sessions.js';

/** @param {import('@koa-fleet/cluster').WorkerContext} worker */
export default function createApp(worker) {
  const config = readConfig();
  const { kind, store, redis } = sessionStoreFor(worker, config.redisUrl);
  const app = new Koa();
  app.keys = [process.env.COOKIE_KEY ?? 'koa-fleet-demo-only-key'];

  app.use(
    health({
      lifecycle: worker.lifecycle,
      fleet: worker.ipc,
      checks: [
        sessionHealthCheck(store),
        checks.eventLoopDelay({ warnMs: 200, failMs: 1000 }),
        ...(redis ? [checks.redis(redis)] : []),
      ],
    }),
  );
  app.use(session(app, { store, maxAge: 86_400_000 }));

  app.use(async (ctx, next) => {
    if (ctx.method === 'GET' && ctx.path === '/') {
      const visits = await incr(ctx, 'visits');
      ctx.type = 'html';
      // A browser keeps its connection (and so its worker) for the keep-alive timeout; closing
      // it after the page makes each reload a new connection, which the cluster hands to the
      // next worker — what the page promises.
      ctx.set('Connection', 'close');
      ctx.body = renderPage({
        worker,
        pid: process.pid,
        visits,
        store: kind,
        // Session fields are typed unknown: only append() writes this one, with strings.
        notes: /** @type {string[]} */ (ctx.session?.notes ?? []),
      });
      return;
    }
    if (ctx.method === 'GET' && ctx.path === '/api/whoami') {
      const visits = await incr(ctx, 'visits');
      ctx.body = {
        workerId: worker.id,
        pid: process.pid,
        generation: worker.generation,
        visits,
        store: kind,
      };
      return;
    }
    if (ctx.method === 'POST' && ctx.path === '/api/notes') {
      const note = String(ctx.query.text ?? '').slice(0, 200);
      if (!note) ctx.throw(400, 'query parameter "text" is required');
      await append(ctx, 'notes', `${note} (worker ${worker.id})`);
      ctx.body = { notes: ctx.session?.notes ?? [] };
      return;
    }
    if (ctx.method === 'POST' && ctx.path === '/api/logout') {
      ctx.session = null;
      ctx.body = { ok: true };
      return;
    }
    await next();
  });
  return app;
}
