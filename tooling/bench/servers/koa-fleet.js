// koa-fleet: a primary from the built @koa-fleet/cluster running WORKERS workers of the same Koa
// app (koa-fleet-entry.js) on the shared port. SIGTERM stops it gracefully; SIGHUP (sent to
// this process only, not its group) starts a rolling reload, reported as one line per reload:
// `reload <n> ok` or `reload <n> failed: <message>`.
import { fileURLToPath } from 'node:url';
import { startFleet } from '@koa-fleet/cluster';

const fleet = startFleet({
  entry: fileURLToPath(new URL('./koa-fleet-entry.js', import.meta.url)),
  workers: Number(process.env.WORKERS ?? 2),
  port: Number(process.env.PORT),
  host: process.env.HOST ?? '127.0.0.1',
  logLevel: 'warn',
});

let reloads = 0;
fleet.on('reload-done', ({ ok, error }) => {
  reloads += 1;
  console.log(ok ? `reload ${reloads} ok` : `reload ${reloads} failed: ${error?.message}`);
});

fleet.ready.then(
  (stats) => console.log(`ready pid=${process.pid} workers=${stats.ready}`),
  (error) => {
    console.error(`fleet did not start: ${error.message}`);
    process.exitCode = 1;
  },
);
