import { koaFleet } from '../contenders/koa-fleet.js';
import { nodeServer } from '../contenders/node-server.js';
import { pm2Cluster, pm2Version } from '../contenders/pm2.js';
import { serverEntry } from '../contenders/server-entry.js';
import type { Scenario } from '../scenario.js';

/**
 * koa-fleet's throughput cost: against raw node:cluster (the baseline: koa-fleet should reach
 * ≥ 0.97 of it) and PM2 cluster mode (≥ 1.0), 2 workers each, same Koa app.
 */
export const cluster: Scenario = {
  name: 'cluster',
  description:
    'The same Koa app with 2 workers under raw `node:cluster` (baseline), PM2 cluster mode ' +
    `(\`pm2 start -i 2\`, PM2 ${pm2Version()}) and koa-fleet (\`startFleet\` from the built ` +
    '`@koa-fleet/cluster`), plus one process for scale, on a tiny JSON route and on a route ' +
    'doing ~1 ms of synchronous CPU work. Targets: koa-fleet ≥ 0.97× raw cluster and ≥ 1.0× ' +
    'PM2 on both routes.',
  baseline: 'node-cluster',
  contenders: [
    nodeServer({
      name: 'node-cluster',
      description: 'node:cluster primary + 2 Koa workers',
      entry: serverEntry('node-cluster.js'),
      env: { WORKERS: '2' },
    }),
    nodeServer({
      name: 'single',
      description: 'one Koa process',
      entry: serverEntry('single.js'),
    }),
    pm2Cluster({
      name: 'pm2',
      description: 'pm2 start -i 2',
      entry: serverEntry('single.js'),
      instances: 2,
    }),
    koaFleet({ name: 'koa-fleet', description: 'startFleet, 2 workers', workers: 2 }),
  ],
  loads: [
    { name: 'hello', path: '/hello', connections: 50 },
    { name: 'cpu', path: '/cpu', connections: 50 },
  ],
  comparisons: [
    { contender: 'koa-fleet', against: 'node-cluster', target: 0.97 },
    { contender: 'koa-fleet', against: 'pm2', target: 1 },
  ],
  headline: { kind: 'ratio', load: 'hello', contender: 'koa-fleet', against: 'node-cluster' },
  durationSec: 10,
  warmupSec: 2,
};
