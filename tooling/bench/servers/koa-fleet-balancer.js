// koa-fleet's balancer in one process: `createBalancer` from the built @koa-fleet/balancer in
// front of BACKENDS, with passive and active health, retries and forwarded headers on. The
// options below are its defaults (but the active checks, off by default), spelled out so the
// scenario says what it measured.
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
  // HAProxy's check inter 2s rise 2 fall 3, on the backends' only route (a fleet answers /readyz).
  healthCheck: { path: '/hello', interval: '2s', timeout: '1s', rise: 2, fall: 3 },
});

balancer.listen().then(printReady, (error) => {
  console.error(`balancer did not start: ${error.message}`);
  process.exitCode = 1;
});
