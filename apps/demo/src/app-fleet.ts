import { fileURLToPath } from 'node:url';
import { controlSocketPath, startFleet, type Fleet } from '@koa-fleet/cluster';
import { healthFleetPlugin } from '@koa-fleet/health';
import { embeddedSessionPlugin } from '@koa-fleet/session';
import type { DemoOptions } from './demo-options.js';
import { HOST_NAME_VARIABLE, REDIS_URL_VARIABLE } from './worker-environment.js';

/**
 * The app fleet: one worker per slot on its own port (`fleetPort + slot`), so the balancer can
 * weigh each; the fleet's health view and metrics; sessions embedded in this primary unless
 * Redis is given. Its control socket sits next to `pidFile`, where `koa-fleet reload
 * --pid-file` and the balancer's fleet discovery find it. With `--hosts`, `hostName` is the
 * host it plays (`host-1`), which its workers name in their answers.
 */
export function startAppFleet(options: DemoOptions, pidFile: string, hostName?: string): Fleet {
  process.env[REDIS_URL_VARIABLE] = options.redisUrl ?? '';
  process.env[HOST_NAME_VARIABLE] = hostName ?? '';
  return startFleet({
    entry: fileURLToPath(new URL('./app.js', import.meta.url)),
    workers: options.workers,
    port: options.fleetPort,
    host: options.host,
    perWorkerPorts: true,
    controlSocket: controlSocketPath(pidFile),
    // main.ts owns the signals: the balancer stops first, then the fleet.
    handleSignals: false,
    plugins: [healthFleetPlugin(), ...(options.redisUrl ? [] : [embeddedSessionPlugin()])],
  });
}
