import cluster from 'node:cluster';
import { FleetUsageError } from '../../errors.js';
import { appFrom } from './load-entry.js';
import { runWorker } from './run-worker.js';
import { WORKER_CONFIG_ENV, decodeWorkerConfig } from '../wire/worker-config.js';

/**
 * App mode, startFleet({ app }): the primary forks the user's own script, so the same
 * startFleet() call runs again in every worker. This says whether this process is such a worker.
 */
export function isFleetWorker(): boolean {
  return cluster.isWorker && process.env[WORKER_CONFIG_ENV] !== undefined;
}

/** In a worker of the fleet: serves the app startFleet() was given there. */
export function serveGivenApp(options: unknown): void {
  const app = (options as { app?: unknown } | undefined)?.app;
  if (app === undefined) {
    throw new FleetUsageError('startFleet({ entry }) cannot run inside a fleet worker');
  }
  runWorker(decodeWorkerConfig(process.env), (context) => appFrom(app, context, 'option "app"'));
}
