import { koaFleet } from '../contenders/koa-fleet.js';
import { pm2Cluster, pm2Version } from '../contenders/pm2.js';
import { serverEntry } from '../contenders/server-entry.js';
import { reloadUnderLoad } from '../measure/reload-under-load.js';
import type { Scenario } from '../scenario.js';

/** Zero-downtime deploys: what clients see during one rolling reload. koa-fleet's target is 0. */
export const reload: Scenario = {
  name: 'reload',
  description:
    'Requests that fail during one rolling reload of 2 workers under keep-alive load: ' +
    'autocannon (in the harness process) sends GET and 2 KB POST requests alternately on 64 ' +
    'connections, and ~3 s in the contender reloads — koa-fleet on SIGHUP to its primary, ' +
    `PM2 ${pm2Version()} by \`pm2 reload\` (cluster mode, default settings). The load runs ` +
    "the run's duration, or until 1 s after a slower reload finished. Target: 0 for koa-fleet " +
    'in every count column.',
  baseline: 'pm2',
  contenders: [
    pm2Cluster({
      name: 'pm2',
      description: 'pm2 start -i 2, pm2 reload',
      entry: serverEntry('single.js'),
      instances: 2,
    }),
    koaFleet({ name: 'koa-fleet', description: 'startFleet, 2 workers, SIGHUP', workers: 2 }),
  ],
  loads: [{ name: 'GET+POST', path: '/hello', connections: 64 }],
  measure: reloadUnderLoad({ reloadAfterSec: 3, tailSec: 1, postBytes: 2048 }),
  headline: {
    kind: 'counts',
    load: 'GET+POST',
    contender: 'koa-fleet',
    against: 'pm2',
    counts: ['connection resets', 'other socket errors', 'timeouts', 'non-2xx'],
    label: 'failed requests during one reload',
    target: 0,
  },
  durationSec: 10,
  warmupSec: 2,
};
