import { startRedis } from '@koa-fleet/testkit';
import { nodeServer } from '../contenders/node-server.js';
import { serverEntry } from '../contenders/server-entry.js';
import { fieldsOnOneSession } from '../measure/fields-on-one-session.js';
import { incrementsOnOneSession } from '../measure/increments-on-one-session.js';
import type { Contender, Scenario } from '../scenario.js';

/** Increments in the `incr` load's burst, the one that counts lost updates. */
const INCREMENTS = 4000;
const routes = { startPath: '/start', readPath: '/read' };

/** servers/session-app.js on SESSION_STORE under raw node:cluster, 2 workers on one port. */
function sessionCluster(name: string, store: string, description: string): Contender {
  return nodeServer({
    name,
    description,
    entry: serverEntry('node-cluster.js'),
    env: { WORKERS: '2', APP: 'session-app.js', SESSION_STORE: store },
  });
}

/**
 * Sessions in Redis shared by 2 workers: @koa-fleet/session against koa-session + koa-redis, on
 * throughput (target ≥ 1.3×, never below 1.0×) and on lost updates (target 0).
 */
export const session: Scenario = {
  name: 'session',
  description:
    'Sessions in one local redis-server shared by 2 workers (raw `node:cluster` for both, so ' +
    'only the session layer differs): koa-session + koa-redis (baseline), the same with ioredis ' +
    '`enableAutoPipelining` (koa-redis-pipelined), and `session(app, { store: redisStore({ ' +
    'client }) })` from the built `@koa-fleet/session` (its own koa-session-compatible ' +
    'middleware; ioredis with `recommendedRedisOptions`, which turn auto-pipelining on). Loads: **new** — wrk, no cookie, every request creates a ' +
    "session with one field; **incr** — throughput: wrk for the run's duration on 64 connections " +
    "carrying one session's cookie, each request adding 1 to the session's counter (koa-redis: " +
    "`ctx.session.n = (ctx.session.n || 0) + 1`; koa-fleet: `await incr(ctx, 'n')`); lost " +
    `updates: on a fresh session, a separate burst of exactly ${INCREMENTS} increments from ` +
    'autocannon (in the harness process) on 64 connections, every answer in before the counter ' +
    'is read back: lost updates = acknowledged − final; **fields** — 64 concurrent ' +
    'requests on one session, each setting its own field `f<i>`, then the fields the session ' +
    'kept. Targets: koa-fleet-session ≥ 1.3× koa-redis throughput on new and incr (never below ' +
    '1.0×), 0 lost updates and 0 fields lost.',
  baseline: 'koa-redis',
  contenders: [
    sessionCluster('koa-redis', 'koa-redis', 'koa-session + koa-redis, node:cluster 2 workers'),
    // Our recommended client options turn on ioredis auto-pipelining; koa-redis with the same
    // setting shows how much of the difference is that option and how much the store.
    sessionCluster(
      'koa-redis-pipelined',
      'koa-redis-pipelined',
      'koa-session + koa-redis with ioredis enableAutoPipelining, node:cluster 2 workers',
    ),
    sessionCluster(
      'koa-fleet-session',
      'koa-fleet',
      '@koa-fleet/session redisStore + incr, node:cluster 2 workers',
    ),
  ],
  loads: [
    { name: 'new', path: '/new', connections: 50 },
    {
      name: 'incr',
      path: '/incr',
      connections: 64,
      measure: incrementsOnOneSession({ requests: INCREMENTS, ...routes }),
    },
    { name: 'fields', path: '/field', connections: 64, measure: fieldsOnOneSession(routes) },
  ],
  comparisons: [
    { contender: 'koa-fleet-session', against: 'koa-redis', target: 1.3 },
    { contender: 'koa-fleet-session', against: 'koa-redis', target: 1 },
    { contender: 'koa-fleet-session', against: 'koa-redis-pipelined' },
  ],
  // Increments are what the package exists for (atomic, no lost update); also its largest win.
  headline: { kind: 'ratio', load: 'incr', contender: 'koa-fleet-session', against: 'koa-redis' },
  async setup() {
    const redis = await startRedis();
    return {
      env: { REDIS_URL: redis.url },
      // A fresh redis-server per run: every contender writes to the same empty keyspace
      // instead of paying for the keys (and dict rehashes) of the runs before it.
      reset: () => redis.restart(),
      stop: () => redis.stop(),
    };
  },
  durationSec: 10,
  warmupSec: 2,
};
