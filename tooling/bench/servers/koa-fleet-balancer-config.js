// The config of koa-fleet's balancer in the `balancer` scenario, shared by the contenders that
// run it in one process (`koa-fleet`, `koa-fleet-admin`): the options below are its defaults (but
// the active checks, off by default), spelled out so the scenario says what it measured.
import { backendsFromEnv, host, port } from './proxy-env.js';

export function benchBalancerConfig() {
  return {
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
  };
}
