import { nodeServer } from '../contenders/node-server.js';
import { serverEntry } from '../contenders/server-entry.js';
import type { Scenario } from '../scenario.js';

const entry = serverEntry('health-hello.js');
const readyLine = /^listening \d+/m;

/**
 * What the @koa-fleet/health middleware costs a request: one Koa process serving hello-JSON
 * without it (the baseline) and with it, metrics on. Target: ≥ 0.97 of the baseline (≤ 3 %).
 */
export const health: Scenario = {
  name: 'health',
  description:
    'Overhead of the `@koa-fleet/health` middleware: the same hello-JSON Koa app in one process ' +
    'without it (baseline) and with `health({ metrics: true })` from the built package in front ' +
    "(the package's own `bench/hello-json.mjs`; every request is counted in the HTTP metrics, " +
    'checks run only on probe paths), loaded on `GET /hello`. Target: koa+health ≥ 0.97× koa ' +
    '(overhead ≤ 3 %).',
  baseline: 'koa',
  contenders: [
    nodeServer({
      name: 'koa',
      description: 'hello-JSON Koa app, one process',
      entry,
      env: { HEALTH: 'off' },
      readyLine,
    }),
    nodeServer({
      name: 'koa+health',
      description: 'the same app with health({ metrics: true }), one process',
      entry,
      env: { HEALTH: 'on' },
      readyLine,
    }),
  ],
  loads: [{ name: 'hello', path: '/hello', connections: 50 }],
  comparisons: [{ contender: 'koa+health', against: 'koa', target: 0.97 }],
  headline: { kind: 'ratio', load: 'hello', contender: 'koa+health', against: 'koa' },
  durationSec: 10,
  warmupSec: 2,
};
