import { performance } from 'node:perf_hooks';
import autocannon from 'autocannon';
import { checkInteger } from '@koa-fleet/errors';
import { readJson, startSession } from '../internal/session-client.js';
import { assertLoopback } from '../run-scenario.js';
import type { Measure } from '../scenario.js';
import { incrementCounts } from './session-counts.js';

export interface IncrementsOnOneSessionOptions {
  /** Increments sent per run (a fixed amount, so every answer is in before reading back). */
  requests: number;
  /** Route that creates a session; its cookie is sent with every increment. */
  startPath: string;
  /** Route answering `{ n }`, the session's counter. */
  readPath: string;
}

/**
 * A `measure` for one load: a fresh session (GET `startPath`), then `requests` GETs of the
 * load's path — each adding 1 to the session's counter — from autocannon in the harness process
 * on the load's connections, all carrying that session's cookie; then the counter read back.
 * Counts the lost updates and reports the burst's throughput.
 */
export function incrementsOnOneSession(options: IncrementsOnOneSessionOptions): Measure {
  const requests = checkInteger('requests', options.requests, { min: 1 });
  const { startPath, readPath } = options;
  return async (server, { load }) => {
    assertLoopback(server.url);
    const cookie = await startSession(server.url + startPath);
    const started = performance.now();
    const result = await autocannon({
      url: server.url + load.path,
      connections: load.connections,
      amount: requests,
      timeout: 10,
      headers: { cookie },
    });
    const elapsedSec = (performance.now() - started) / 1000;
    const { n } = await readJson<{ n: number }>(server.url + readPath, cookie);
    return incrementCounts({
      sent: requests,
      acknowledged: result['2xx'],
      non2xx: result.non2xx,
      socketErrors: result.errors,
      final: n,
      elapsedSec,
      p99Ms: result.latency.p99,
    });
  };
}
