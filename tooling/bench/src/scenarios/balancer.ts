import { directToBackend } from '../contenders/direct.js';
import { haproxyProxy } from '../contenders/haproxy.js';
import { nginxProxy } from '../contenders/nginx-proxy.js';
import { nodeServer } from '../contenders/node-server.js';
import { binaryVersion, packageVersion } from '../contenders/peer-version.js';
import { serverEntry } from '../contenders/server-entry.js';
import { helloBackends } from '../setup/hello-backends.js';
import type { Scenario } from '../scenario.js';

const nginx = binaryVersion('nginx', ['-v'], /nginx\/(\S+)/);
const haproxy = binaryVersion('haproxy', ['-v'], /HAProxy version (\S+)/);
const fastify = packageVersion('fastify');
const replyFrom = packageVersion('@fastify/reply-from');
const httpProxy = packageVersion('http-proxy');

/**
 * What the balancer costs a request against the proxies people put in front of Node: koa-fleet's
 * balancer in one process should reach ≥ 0.65× nginx's throughput (the baseline), ≥ 1.5× that
 * of @fastify/reply-from and of node-http-proxy, with a p99 ≤ 1.5× nginx's; watching it (admin
 * API: metrics scrapes, an event stream) should cost it at most 3 %.
 */
export const balancer: Scenario = {
  name: 'balancer',
  description:
    'Reverse proxies round-robin over the same 2 hello-JSON Koa backends (one process each, on ' +
    'free ports, running for the whole scenario), every proxy with a pool of kept-alive backend ' +
    'connections and setting X-Forwarded-For/-Proto/-Host: straight to one backend, no proxy ' +
    `(direct: the limit); nginx ${nginx} (baseline: 1 worker, \`upstream\` with \`keepalive ` +
    `64\`); HAProxy ${haproxy} (\`nbthread 1\`, \`http-reuse always\`); fastify ${fastify} + ` +
    `\`@fastify/reply-from\` ${replyFrom} (undici BalancedPool, 64 connections per backend); ` +
    `node-http-proxy \`http-proxy\` ${httpProxy} (keep-alive agent, 64 sockets per backend); ` +
    "koa-fleet's balancer in 1 process (`createBalancer` from the built " +
    '`@koa-fleet/balancer`: passive health, active checks every 2 s, retries by `nextUpstream`, ' +
    'forwarded headers, `keepAlive.connections` 64), and the same on 2 processes ' +
    '(`koa-fleet-balancer --workers 2`, through @koa-fleet/cluster). Loaded on `GET ' +
    '/hello`. Targets: koa-fleet ≥ 0.65× nginx, ≥ 1.5× fastify-reply-from and ≥ 1.5× ' +
    "http-proxy in throughput; koa-fleet's p99 ≤ 1.5× nginx's.",
  baseline: 'nginx',
  contenders: [
    directToBackend({ name: 'direct', description: 'no proxy: the first backend itself' }),
    nginxProxy({ name: 'nginx', description: 'nginx, 1 worker, upstream keepalive 64' }),
    haproxyProxy({ name: 'haproxy', description: 'HAProxy, nbthread 1, http-reuse always' }),
    nodeServer({
      name: 'fastify-reply-from',
      description: 'fastify + @fastify/reply-from, undici keep-alive',
      entry: serverEntry('fastify-reply-from.js'),
    }),
    nodeServer({
      name: 'http-proxy',
      description: 'node-http-proxy with a keep-alive agent',
      entry: serverEntry('http-proxy.js'),
    }),
    nodeServer({
      name: 'koa-fleet',
      description:
        'koa-fleet balancer, 1 process: passive + active health, retries, forwarded headers',
      entry: serverEntry('koa-fleet-balancer.js'),
    }),
    nodeServer({
      name: 'koa-fleet-admin',
      description:
        'koa-fleet, with its admin API on: /metrics scraped every second, one SSE subscriber',
      entry: serverEntry('koa-fleet-balancer-admin.js'),
    }),
    nodeServer({
      name: 'koa-fleet-2',
      description: 'koa-fleet balancer, --workers 2: the same on 2 processes',
      entry: serverEntry('koa-fleet-balancer-workers.js'),
      readyLine: /balancing \d+ backends? on \S+ with 2 workers/,
    }),
  ],
  loads: [{ name: 'hello', path: '/hello', connections: 50 }],
  comparisons: [
    { contender: 'koa-fleet', against: 'nginx', target: 0.65 },
    { contender: 'koa-fleet', against: 'fastify-reply-from', target: 1.5 },
    { contender: 'koa-fleet', against: 'http-proxy', target: 1.5 },
    { contender: 'koa-fleet', against: 'haproxy' },
    { contender: 'koa-fleet-admin', against: 'koa-fleet', target: 0.97 },
    { contender: 'koa-fleet-2', against: 'nginx' },
    { contender: 'koa-fleet', against: 'nginx', metric: 'p99', target: 1.5 },
  ],
  headline: { kind: 'ratio', load: 'hello', contender: 'koa-fleet', against: 'nginx' },
  setup: helloBackends(2),
  durationSec: 10,
  warmupSec: 2,
};
