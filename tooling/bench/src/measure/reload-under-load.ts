import { performance } from 'node:perf_hooks';
import { setTimeout as delay } from 'node:timers/promises';
import autocannon from 'autocannon';
import { ReloadUnsupportedError } from '../errors.js';
import { assertLoopback } from '../run-scenario.js';
import type { Scenario } from '../scenario.js';
import { isConnectionReset, reloadCounts } from './reload-counts.js';

export interface ReloadUnderLoadOptions {
  /** Seconds into the load when the reload is asked for; at most 30 % of a shorter run. */
  reloadAfterSec: number;
  /** Seconds the load goes on after the reload finished, so late failures are seen too. */
  tailSec: number;
  /** Size of the POST bodies mixed in with the GETs. */
  postBytes: number;
}

/** A reload that takes longer than this counts as failed; the load stops then, too. */
const RELOAD_CAP_SEC = 120;

/**
 * A `measure` for Scenario: keep-alive autocannon load (GET and POST to the load's path,
 * alternating, in the harness process), one `server.reload()` `reloadAfterSec` in, and the
 * failures the clients saw. The load runs the run's duration, and longer when the reload is
 * slower — until `tailSec` after it finished — so no contender's reload outlives the load.
 */
export function reloadUnderLoad(options: ReloadUnderLoadOptions): NonNullable<Scenario['measure']> {
  const { reloadAfterSec, tailSec, postBytes } = options;
  return async (server, { load, durationSec }) => {
    if (!server.reload) throw new ReloadUnsupportedError(server.url);
    assertLoopback(server.url);
    const started = performance.now();
    const instance = autocannon({
      url: server.url,
      connections: load.connections,
      duration: durationSec + RELOAD_CAP_SEC + tailSec, // a cap: stopped below
      requests: [
        { method: 'GET', path: load.path },
        {
          method: 'POST',
          path: load.path,
          body: 'x'.repeat(postBytes),
          headers: { 'content-type': 'text/plain' },
        },
      ],
    }) as Promise<autocannon.Result> & autocannon.Instance;
    let connectionResets = 0;
    instance.on('reqError', (error) => {
      if (isConnectionReset(error)) connectionResets += 1;
    });
    try {
      await delay(Math.min(reloadAfterSec, durationSec * 0.3) * 1000);
      const reloadStarted = performance.now();
      const ok = await withTimeout(server.reload(), RELOAD_CAP_SEC * 1000).then(
        () => true,
        (error: unknown) => {
          console.error(
            `  reload failed: ${error instanceof Error ? error.message : String(error)}`,
          );
          return false;
        },
      );
      const reload = { ok, durationMs: performance.now() - reloadStarted };
      const untilEnd = durationSec * 1000 - (performance.now() - started);
      await delay(Math.max(untilEnd, tailSec * 1000));
      instance.stop();
      return reloadCounts(await instance, connectionResets, reload);
    } finally {
      instance.stop(); // idempotent; ends the load when something above threw
    }
  };
}

function withTimeout(promise: Promise<void>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`reload not done after ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
