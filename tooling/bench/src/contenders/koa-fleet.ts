import { checkInteger } from '@koa-fleet/errors';
import type { Contender } from '../scenario.js';
import { nodeServer } from './node-server.js';
import { serverEntry } from './server-entry.js';

export interface KoaFleetOptions {
  name: string;
  description: string;
  workers: number;
}

/**
 * The shared Koa app under `startFleet` from the built @koa-fleet/cluster (servers/koa-fleet.js):
 * ready once every worker listens; `reload()` sends SIGHUP to the primary, the fleet's own
 * rolling-reload signal, and resolves when the fleet reports the reload done.
 */
export function koaFleet(options: KoaFleetOptions): Contender {
  const workers = checkInteger('workers', options.workers, { min: 1 });
  return nodeServer({
    name: options.name,
    description: options.description,
    entry: serverEntry('koa-fleet.js'),
    env: { WORKERS: String(workers) },
    reloadSignal: 'SIGHUP',
  });
}
