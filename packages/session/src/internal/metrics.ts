import { createRequire } from 'node:module';
import type * as promClient from 'prom-client';
import type { Counter, Histogram, Registry } from 'prom-client';
import type { MetricsRegistry } from '../peer-types.js';

type PromClient = typeof promClient;

/** Events worth counting that are not failed operations. */
export type SessionEvent = 'corrupt' | 'gone' | 'conflict' | 'too_large' | 'invalid_id';

/**
 * Operation counts, errors and latency, registered on the caller's prom-client Registry (names
 * `koa_fleet_session_*`, the health package collects them). prom-client is loaded only when a
 * registry is given, so it stays an optional peer dependency.
 */
export class SessionMetrics {
  readonly #backend: string;
  readonly #ops?: Counter<'backend' | 'op'>;
  readonly #errors?: Counter<'backend' | 'op'>;
  readonly #events?: Counter<'backend' | 'event'>;
  readonly #duration?: Histogram<'backend' | 'op'>;

  constructor(given: MetricsRegistry | undefined, backend: string) {
    this.#backend = backend;
    if (!given) return;
    const registry = given as Registry; // checked at construction (getSingleMetric)
    const prom = createRequire(import.meta.url)('prom-client') as PromClient;
    // Two stores on one registry share the metrics (prom-client refuses duplicate names).
    const reuse = <T>(name: string, make: () => T): T =>
      (registry.getSingleMetric(name) as T | undefined) ?? make();
    const registers = [registry];
    this.#ops = reuse(
      'koa_fleet_session_ops_total',
      () =>
        new prom.Counter({
          name: 'koa_fleet_session_ops_total',
          help: 'Session store operations.',
          labelNames: ['backend', 'op'] as const,
          registers,
        }),
    );
    this.#errors = reuse(
      'koa_fleet_session_errors_total',
      () =>
        new prom.Counter({
          name: 'koa_fleet_session_errors_total',
          help: 'Session store operations that failed.',
          labelNames: ['backend', 'op'] as const,
          registers,
        }),
    );
    this.#events = reuse(
      'koa_fleet_session_events_total',
      () =>
        new prom.Counter({
          name: 'koa_fleet_session_events_total',
          help: 'Session events: corrupt data, writes to destroyed sessions, conflicts, oversize, invalid ids.',
          labelNames: ['backend', 'event'] as const,
          registers,
        }),
    );
    this.#duration = reuse(
      'koa_fleet_session_op_duration_seconds',
      () =>
        new prom.Histogram({
          name: 'koa_fleet_session_op_duration_seconds',
          help: 'Session store operation latency.',
          labelNames: ['backend', 'op'] as const,
          registers,
          buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
        }),
    );
  }

  /** False without a registry: callers then skip timing operations at all. */
  get enabled(): boolean {
    return this.#ops !== undefined;
  }

  operation(op: string, seconds: number, failed: boolean): void {
    if (!this.#ops) return;
    const labels = { backend: this.#backend, op };
    this.#ops.inc(labels);
    if (failed) this.#errors?.inc(labels);
    this.#duration?.observe(labels, seconds);
  }

  event(event: SessionEvent): void {
    if (!this.#events) return;
    this.#events.inc({ backend: this.#backend, event });
  }
}
