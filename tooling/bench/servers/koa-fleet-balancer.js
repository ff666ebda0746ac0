// koa-fleet's balancer in one process: `createBalancer` from the built @koa-fleet/balancer in
// front of BACKENDS. Passive health, retries and forwarded headers are on — the features the
// balancer has today (active health and `--workers` are not built yet). The options below are
// its defaults, spelled out so the scenario says what it measured.
import { createBalancer } from '@koa-fleet/balancer';
import { backendsFromEnv, host, port, printReady } from './proxy-env.js';

const balancer = createBalancer({
  backends: backendsFromEnv(),
  port,
  host,
  logLevel: 'warn',
  strategy: 'round-robin',
  // nginx's max_fails=1 fail_timeout=10s, proxy_next_upstream error timeout, keepalive 64.
  maxFails: 1,
  failTimeout: '10s',
  nextUpstream: ['error', 'timeout'],
  keepAlive: { connections: 64, idleTimeout: '4s' },
});

balancer.listen().then(printReady, (error) => {
  console.error(`balancer did not start: ${error.message}`);
  process.exitCode = 1;
});
