import type { AppSource } from './app-source.js';
import { Fleet } from './fleet.js';
import type { FleetOptions } from './options.js';
import { resolveOptions } from './options.js';
import { isFleetWorker, serveGivenApp } from './internal/worker/app-mode.js';

/**
 * Starts a fleet of workers serving the entry's Koa app. Options are validated before anything
 * forks (InvalidOptionError names the option); everything after is reported through `ready`,
 * `closed`, events and logs.
 */
export function startFleet(options: FleetOptions & { app: AppSource }): Fleet | undefined;
export function startFleet(options: FleetOptions): Fleet;
export function startFleet(options: FleetOptions): Fleet | undefined {
  if (isFleetWorker()) {
    // App mode: the user's script is the worker too; here it serves the app it was given.
    serveGivenApp(options);
    return undefined;
  }
  return new Fleet(resolveOptions(options));
}
