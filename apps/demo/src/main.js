// @ts-check
// `pnpm demo`: the primary. Forks one worker per core (up to 4), shares sessions between them
// through the primary (or Redis when REDIS_URL is set), and aggregates health and metrics.
import { fileURLToPath } from 'node:url';
import { startFleet } from '@koa-fleet/cluster';
import { healthFleetPlugin } from '@koa-fleet/health';
import { embeddedSessionPlugin } from '@koa-fleet/session';
import { readConfig } from './config.js';

const config = readConfig();
const fleet = startFleet({
  entry: fileURLToPath(new URL('./app.js', import.meta.url)),
  workers: config.workers,
  port: config.port,
  host: config.host,
  plugins: [healthFleetPlugin(), ...(config.redisUrl ? [] : [embeddedSessionPlugin()])],
});

if (fleet) {
  const stats = await fleet.ready;
  const url = `http://${config.host}:${stats.workers[0]?.port ?? config.port}`;
  console.log(
    [
      '',
      `koa-fleet demo: ${stats.ready} workers ready at ${url}  (primary pid ${process.pid})`,
      `  sessions: ${config.redisUrl ? `Redis at ${config.redisUrl}` : 'embedded in the primary (set REDIS_URL to use Redis)'}`,
      `  try:      curl -c /tmp/kf.jar -b /tmp/kf.jar ${url}/api/whoami   (repeat: other workers, same session)`,
      `  probes:   ${url}/readyz  ${url}/healthz/fleet  ${url}/metrics`,
      `  reload:   kill -HUP ${process.pid}     stop: Ctrl-C`,
      '',
    ].join('\n'),
  );
}
