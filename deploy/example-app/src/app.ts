// The entry `koa-fleet start dist/app.js` forks in every worker: the probes an orchestrator or a
// balancer asks (/livez, /readyz, /healthz) and one route that says which process answered.
import { readFileSync } from 'node:fs';
import Koa from 'koa';
import type { WorkerContext } from '@koa-fleet/cluster';
import { health } from '@koa-fleet/health';

// The version of the release this worker loaded: dist/app.js → the package.json beside dist/.
const { version } = JSON.parse(
  readFileSync(new URL('../package.json', import.meta.url), 'utf8'),
) as { version: string };

export default function createApp(worker: WorkerContext): Koa {
  const app = new Koa();
  app.use(health({ lifecycle: worker.lifecycle, fleet: worker.ipc }));
  app.use((ctx) => {
    ctx.body = {
      hello: 'world',
      version,
      worker: worker.id,
      generation: worker.generation,
      pid: process.pid,
    };
  });
  return app;
}
