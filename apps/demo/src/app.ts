// The entry every worker loads: one Koa app with probes, metrics, shared sessions and the
// routes that show which process answered. The fleet's primary (main.ts) forks it per slot.
import Koa from 'koa';
import type { WorkerContext } from '@koa-fleet/cluster';
import { checks, health } from '@koa-fleet/health';
import { session, sessionHealthCheck } from '@koa-fleet/session';
import { router } from './router.js';
import { cpuRoutes } from './routes/cpu.js';
import { identityRoutes } from './routes/identity.js';
import { sessionRoutes } from './routes/session.js';
import { slowRoutes } from './routes/slow.js';
import { sessionStoreFor } from './sessions.js';
import { REDIS_URL_VARIABLE } from './worker-environment.js';
import { workerView } from './worker-view.js';

export default function createApp(worker: WorkerContext): Koa {
  // The primary hands its --redis-url on through the environment the workers inherit.
  const { kind, store, redis } = sessionStoreFor(
    worker,
    process.env[REDIS_URL_VARIABLE] || undefined,
  );
  const view = workerView(worker);
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
  app.use(
    router([
      ...identityRoutes(view, kind),
      ...cpuRoutes(view),
      ...slowRoutes(view),
      ...sessionRoutes(view, kind),
    ]),
  );
  return app;
}
