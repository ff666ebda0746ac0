import { performance } from 'node:perf_hooks';
import autocannon from 'autocannon';
import { checkInteger } from '@koa-fleet/errors';
import { readJson, startSession } from '../internal/session-client.js';
import { runLoad } from '../load/run-load.js';
import { assertLoopback } from '../run-scenario.js';
import type { Measure } from '../scenario.js';
import { incrementCounts } from './session-counts.js';

export interface IncrementsOnOneSessionOptions {
  /** Increments sent in the burst (a fixed amount, so every answer is in before reading back). */
  requests: number;
  /** Route that creates a session; its cookie is sent with every increment. */
  startPath: string;
  /** Route answering `{ n }`, the session's counter. */
  readPath: string;
}

/**
 * A `measure` for one load, on two fresh sessions (each from GET `startPath`):
 *  1. throughput — the run's load tool (wrk, in its own process) for `durationSec` on the load's
 *     path and connections, with the first session's cookie; its counter read back afterwards
 *     only for context, since the tool stops with requests in flight;
 *  2. lost updates — a burst of exactly `requests` GETs of the load's path (each adding 1 to the
 *     counter) from autocannon in the harness process with the second session's cookie, every
 *     answer in before the counter is read back, so acknowledged − final is exact.
 */
export function incrementsOnOneSession(options: IncrementsOnOneSessionOptions): Measure {
  const requests = checkInteger('requests', options.requests, { min: 1 });
  const { startPath, readPath } = options;
  return async (server, { load, durationSec, loadTool }) => {
    assertLoopback(server.url);
    const url = server.url + load.path;
    const readCounter = async (cookie: string) =>
      (await readJson<{ n: number }>(server.url + readPath, cookie)).n;

    const timedCookie = await startSession(server.url + startPath);
    const measurement = await runLoad(loadTool, {
      url,
      connections: load.connections,
      durationSec,
      headers: { Cookie: timedCookie },
    });
    const timedFinal = await readCounter(timedCookie);

    const burstCookie = await startSession(server.url + startPath);
    const started = performance.now();
    const result = await autocannon({
      url,
      connections: load.connections,
      amount: requests,
      timeout: 10,
      headers: { cookie: burstCookie },
    });
    const elapsedSec = (performance.now() - started) / 1000;
    return incrementCounts(
      {
        acknowledged: result['2xx'],
        non2xx: result.non2xx,
        socketErrors: result.errors,
        final: await readCounter(burstCookie),
        elapsedSec,
      },
      { tool: loadTool.name, measurement, final: timedFinal },
    );
  };
}
