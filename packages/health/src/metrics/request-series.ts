import type { Metric, Registry } from 'prom-client';
import { InvalidOptionError } from '@koa-fleet/errors';

interface Series {
  labels: { method: string; route: string; status: string };
  count: number;
  sum: number;
  /** Observations per bucket (not cumulative); the last slot is above every bound (+Inf). */
  perBucket: Float64Array;
}

type Value = { value: number; labels: Record<string, string | number>; metricName?: string };

/**
 * Request count and duration histogram kept as plain numbers per (method, route, status).
 * prom-client's Counter and Histogram hash a label object on every call; on a hello-world
 * route that alone costs several percent of a request. Here a request costs one Map lookup and a
 * few additions, and the Prometheus samples are built only when scraped, in the exact shape
 * prom-client's own metrics produce (so `registry.metrics()` and cluster aggregation just work).
 */
export class RequestSeries {
  readonly #series = new Map<string, Series>();
  readonly #buckets: readonly number[];

  constructor(buckets: readonly number[]) {
    this.#buckets = buckets;
  }

  record(method: string, route: string, status: number, seconds: number): void {
    const key = `${method} ${status} ${route}`;
    let series = this.#series.get(key);
    if (!series) {
      series = {
        labels: { method, route, status: String(status) },
        count: 0,
        sum: 0,
        perBucket: new Float64Array(this.#buckets.length + 1),
      };
      this.#series.set(key, series);
    }
    series.count++;
    series.sum += seconds;
    let bucket = 0;
    while (bucket < this.#buckets.length && seconds > this.#buckets[bucket]!) bucket++;
    series.perBucket[bucket]!++;
  }

  /** Registers the counter and the histogram on `registry` (once per name). */
  register(registry: Registry, counterName: string, histogramName: string): void {
    register(registry, counterName, 'HTTP requests answered.', 'counter', () =>
      this.#counterValues(),
    );
    register(registry, histogramName, 'HTTP request duration in seconds.', 'histogram', () =>
      this.#histogramValues(histogramName),
    );
  }

  #counterValues(): Value[] {
    return [...this.#series.values()].map((series) => ({
      value: series.count,
      labels: series.labels,
    }));
  }

  #histogramValues(name: string): Value[] {
    const values: Value[] = [];
    for (const series of this.#series.values()) {
      let cumulative = 0;
      this.#buckets.forEach((bound, index) => {
        cumulative += series.perBucket[index]!;
        values.push({
          value: cumulative,
          labels: { le: bound, ...series.labels },
          metricName: `${name}_bucket`,
        });
      });
      values.push({
        value: series.count,
        labels: { le: '+Inf', ...series.labels },
        metricName: `${name}_bucket`,
      });
      values.push({ value: series.sum, labels: series.labels, metricName: `${name}_sum` });
      values.push({ value: series.count, labels: series.labels, metricName: `${name}_count` });
    }
    return values;
  }
}

/** A metric computed at scrape time; prom-client registries accept any object of this shape. */
function register(
  registry: Registry,
  name: string,
  help: string,
  type: 'counter' | 'histogram',
  values: () => Value[],
): void {
  if (registry.getSingleMetric(name)) {
    throw new InvalidOptionError(
      'metrics.prefix',
      `a prefix whose ${name} is not registered yet`,
      name,
    );
  }
  const metric = {
    name,
    help,
    type,
    aggregator: 'sum',
    get: async () => ({ name, help, type, aggregator: 'sum', values: values() }),
  };
  registry.registerMetric(metric as unknown as Metric);
}
