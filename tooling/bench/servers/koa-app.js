// The app every contender serves, so a ratio compares process models, not apps.
import { pbkdf2Sync } from 'node:crypto';
import Koa from 'koa';

// Fixed work per request: ~1 ms of synchronous CPU on the 2-core bench machine. Fixed
// parameters (not calibrated per process) keep the work identical across contenders.
const CPU_ITERATIONS = 4000;

export function createApp() {
  const app = new Koa();
  app.use((ctx) => {
    switch (ctx.path) {
      case '/hello':
        ctx.body = { hello: 'world' };
        return;
      case '/cpu':
        ctx.body = {
          hash: pbkdf2Sync('koa-fleet', 'bench', CPU_ITERATIONS, 32, 'sha256').toString('hex'),
        };
        return;
      case '/pid':
        // Readiness probes count distinct pids to know every worker answers.
        ctx.body = { pid: process.pid };
        return;
      default:
        ctx.status = 404;
    }
  });
  return app;
}

/** Listens on PORT/HOST from the environment; prints "ready" once listening. */
export function listenFromEnv(app, onListening = () => console.log(`ready pid=${process.pid}`)) {
  const port = Number(process.env.PORT);
  const host = process.env.HOST ?? '127.0.0.1';
  return app.listen(port, host, onListening);
}
