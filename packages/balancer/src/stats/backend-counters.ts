import { LatencyWindow } from './latency-window.js';

export const STATUS_CLASSES = ['1xx', '2xx', '3xx', '4xx', '5xx'] as const;
/** A response status by its first digit. */
export type StatusClass = (typeof STATUS_CLASSES)[number];

/**
 * Why a try failed, by the error it was reported with: no connection, a timeout, the connection
 * closed or reset, an answer that was not valid HTTP, a status `nextUpstream` retries, or another
 * reason (a request that could not be sent as it was).
 */
export const ERROR_KINDS = ['connect', 'timeout', 'reset', 'invalid', 'status', 'other'] as const;
export type ErrorKind = (typeof ERROR_KINDS)[number];

/** The error kind of a failed try's error code (`KF_BALANCER_UPSTREAM_…`). */
export function errorKindOf(code: string): number {
  switch (code) {
    case 'KF_BALANCER_UPSTREAM_REFUSED':
      return 0;
    case 'KF_BALANCER_UPSTREAM_TIMEOUT':
      return 1;
    case 'KF_BALANCER_UPSTREAM_RESET':
      return 2;
    case 'KF_BALANCER_UPSTREAM_INVALID':
      return 3;
    case 'KF_BALANCER_UPSTREAM_STATUS':
      return 4;
    default:
      return 5;
  }
}

/** The last active health check of a backend. */
export interface CheckSummary {
  /** When it ended, ISO 8601. */
  at: string;
  ok: boolean;
  /** The status it was answered with; absent when no answer came. */
  status?: number;
  /** Why it failed. */
  reason?: string;
}

/**
 * What happened on one backend since it joined: tries sent, the answers it gave by status class,
 * failed tries by kind, retries away from it, and its latencies over the last seconds. Plain
 * numbers and typed arrays, bumped in place on every request.
 */
export class BackendCounters {
  /** Tries sent to it. */
  requests = 0;
  /** Tries that failed on it and went on to another backend. */
  retries = 0;
  readonly responses = new Float64Array(STATUS_CLASSES.length);
  readonly errors = new Float64Array(ERROR_KINDS.length);
  /** Time from sending a try to its response's headers. */
  readonly latency = new LatencyWindow();
  lastCheck: CheckSummary | null = null;

  /** The backend's answer reached the client `ms` after the try was sent. */
  answered(status: number, ms: number, nowMs: number): void {
    const index = Math.floor(status / 100) - 1;
    if (index >= 0 && index < STATUS_CLASSES.length) this.responses[index]!++;
    this.latency.record(ms, nowMs);
  }

  failed(code: string, retried: boolean): void {
    this.errors[errorKindOf(code)]!++;
    if (retried) this.retries++;
  }
}

/** A typed array of counts as a record by name, for JSON. */
export function byName<const K extends string>(
  names: readonly K[],
  counts: ArrayLike<number>,
): Record<K, number> {
  const record = {} as Record<K, number>;
  names.forEach((name, index) => (record[name] = counts[index] ?? 0));
  return record;
}
