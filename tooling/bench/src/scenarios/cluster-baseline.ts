import { nodeServer } from '../contenders/node-server.js';
import { serverEntry } from '../contenders/server-entry.js';
import type { Scenario } from '../scenario.js';

/** What the seed tutorial promises: does raw node:cluster with 2 workers beat one process? */
export const clusterBaseline: Scenario = {
  name: 'cluster-baseline',
  description:
    'One Koa process vs raw `node:cluster` forking 2 Koa workers on a shared port (the seed ' +
    'tutorial), on a tiny JSON route and on a route doing ~1 ms of synchronous CPU work.',
  baseline: 'single',
  contenders: [
    nodeServer({
      name: 'single',
      description: 'one Koa process',
      entry: serverEntry('single.js'),
    }),
    nodeServer({
      name: 'node-cluster',
      description: 'node:cluster primary + 2 Koa workers',
      entry: serverEntry('node-cluster.js'),
      env: { WORKERS: '2' },
    }),
  ],
  loads: [
    { name: 'hello', path: '/hello', connections: 50 },
    { name: 'cpu', path: '/cpu', connections: 50 },
  ],
  // CPU-bound work is where a second worker must pay off.
  headline: { kind: 'ratio', load: 'cpu', contender: 'node-cluster', against: 'single' },
  durationSec: 10,
  warmupSec: 2,
};
