import type { Context } from 'koa';
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { ResolvedMetrics } from '../options.js';
import { reuseMetric } from './reuse-metric.js';

const LABELS = ['method', 'route', 'status'] as const;

/** Request count, duration histogram and in-flight gauge for the app's own routes. */
export class HttpMetrics {
  private readonly requests: Counter<(typeof LABELS)[number]>;
  private readonly duration: Histogram<(typeof LABELS)[number]>;
  private readonly inFlight: Gauge;

  constructor(
    registry: Registry,
    private readonly options: ResolvedMetrics,
  ) {
    const { prefix, buckets } = options;
    const registers = [registry];
    this.requests = reuseMetric(
      registry,
      `${prefix}http_requests_total`,
      () =>
        new Counter({
          name: `${prefix}http_requests_total`,
          help: 'HTTP requests answered.',
          labelNames: LABELS,
          registers,
        }),
    );
    this.duration = reuseMetric(
      registry,
      `${prefix}http_request_duration_seconds`,
      () =>
        new Histogram({
          name: `${prefix}http_request_duration_seconds`,
          help: 'HTTP request duration in seconds.',
          labelNames: LABELS,
          buckets,
          registers,
        }),
    );
    this.inFlight = reuseMetric(
      registry,
      `${prefix}http_requests_in_flight`,
      () =>
        new Gauge({
          name: `${prefix}http_requests_in_flight`,
          help: 'HTTP requests being served.',
          registers,
        }),
    );
  }

  /** Call when a request arrives; call the returned function once it is answered. */
  start(): (ctx: Context, status: number) => void {
    const started = process.hrtime.bigint();
    this.inFlight.inc();
    return (ctx, status) => {
      this.inFlight.dec();
      const labels = {
        method: ctx.method,
        route: this.options.route(ctx) ?? '*',
        status: String(status),
      };
      this.requests.inc(labels);
      this.duration.observe(labels, Number(process.hrtime.bigint() - started) / 1e9);
    };
  }
}
