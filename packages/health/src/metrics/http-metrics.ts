import type { Context } from 'koa';
import { Gauge, type Registry } from 'prom-client';
import type { ResolvedMetricsOptions } from './metrics-options.js';
import { RequestSeries } from './request-series.js';

/**
 * Request count, duration histogram and in-flight gauge for the app's own routes. One instance
 * per registry and prefix, so two middleware instances sharing a registry add up instead of
 * colliding on metric names.
 */
export function httpMetricsOn(registry: Registry, options: ResolvedMetricsOptions): HttpMetrics {
  const byPrefix = shared.get(registry) ?? new Map<string, HttpMetrics>();
  shared.set(registry, byPrefix);
  let metrics = byPrefix.get(options.prefix);
  if (!metrics) {
    metrics = new HttpMetrics(registry, options);
    byPrefix.set(options.prefix, metrics);
  }
  return metrics;
}

const shared = new WeakMap<Registry, Map<string, HttpMetrics>>();

// Not exported: httpMetricsOn() is the only way to one, so the sharing cannot be bypassed.
class HttpMetrics {
  /** A plain number on the hot path, read into the gauge only when scraped. */
  inFlight = 0;
  readonly #series: RequestSeries;
  readonly #route: ResolvedMetricsOptions['route'];

  constructor(registry: Registry, { route, prefix, buckets }: ResolvedMetricsOptions) {
    this.#route = route;
    this.#series = new RequestSeries(buckets);
    this.#series.register(
      registry,
      `${prefix}http_requests_total`,
      `${prefix}http_request_duration_seconds`,
    );
    const inFlight = () => this.inFlight;
    new Gauge({
      name: `${prefix}http_requests_in_flight`,
      help: 'HTTP requests being served.',
      registers: [registry],
      collect() {
        this.set(inFlight());
      },
    });
  }

  /** Records one answered request; `started` is a `performance.now()` reading. */
  record(ctx: Context, status: number, started: number): void {
    this.#series.record(
      ctx.method,
      this.#route(ctx) ?? '*',
      status,
      (performance.now() - started) / 1000,
    );
  }
}

export type { HttpMetrics };
