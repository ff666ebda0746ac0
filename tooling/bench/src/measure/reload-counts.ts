import type { CountMeasurement } from '../scenario.js';

/** The autocannon result figures a reload run is judged by (a subset of autocannon.Result). */
export interface LoadTotals {
  /** `total`: responses received. */
  requests: { total: number };
  /** Every failed request: socket errors and timeouts. */
  errors: number;
  timeouts: number;
  non2xx: number;
  /** Seconds the load ran. */
  duration: number;
}

export interface ReloadOutcome {
  ok: boolean;
  /** From asking for the reload until it was reported done (or failed). */
  durationMs: number;
}

/** Error codes of a connection the server closed under a request. */
const RESET_CODES = new Set(['ECONNRESET', 'EPIPE']);

/** Sorts autocannon's per-request errors: resets by code; timeouts are counted apart. */
export function isConnectionReset(error: unknown): boolean {
  return RESET_CODES.has(String((error as { code?: unknown } | null)?.code));
}

/**
 * What a reload under load cost the clients. autocannon counts a timeout among its errors, so
 * the other socket errors are what is left after timeouts and resets (e.g. refused connects).
 * Its own `resets` figure is not about sockets (it counts restarts of its request sequence).
 */
export function reloadCounts(
  load: LoadTotals,
  connectionResets: number,
  reload: ReloadOutcome,
): CountMeasurement {
  return {
    counts: {
      'connection resets': connectionResets,
      'other socket errors': load.errors - load.timeouts - connectionResets,
      timeouts: load.timeouts,
      'non-2xx': load.non2xx,
      'reload failed': reload.ok ? 0 : 1,
    },
    context: {
      requests: load.requests.total,
      'reload ms': Math.round(reload.durationMs),
      'load s': load.duration,
    },
  };
}
