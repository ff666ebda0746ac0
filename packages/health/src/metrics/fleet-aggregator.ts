import { AggregatorRegistry, type Registry } from 'prom-client';
import type { GatherResult } from '@koa-fleet/contracts';
import { DEFAULT_PREFIX } from './metrics-options.js';

/** One metric as `registry.getMetricsAsJSON()` returns it, after a trip over IPC. */
export interface MetricJson {
  name: string;
  help: string;
  type: string;
  aggregator: string;
  values: Array<{ value: number; labels: Record<string, string | number>; metricName?: string }>;
}

/** A registry's metrics as plain JSON, the form that crosses IPC. */
export async function metricsAsJson(
  registry: Pick<Registry, 'getMetricsAsJSON'>,
): Promise<MetricJson[]> {
  // prom-client types `type` as an enum of the same strings; the wire form is plain text.
  return (await registry.getMetricsAsJSON()) as unknown as MetricJson[];
}

/**
 * Sums the workers' metrics into one fleet view, avoiding prom-client cluster's known failures:
 * - counters and histograms of workers that exited are kept (folded into a "retired" total), so a
 *   restart never makes a sum go backwards and `rate()` jump (prom-client #385);
 * - a worker that does not answer in time contributes its last-seen counters and no gauges, and
 *   the scrape still succeeds, saying how many answered (#181, #290);
 * - gauges are not summed but labelled with the worker they came from.
 */
export class FleetMetricsAggregator {
  readonly #prefix: string;
  readonly #lastSeen = new Map<number, MetricJson[]>();
  #retired: MetricJson[] = [];

  constructor(prefix = DEFAULT_PREFIX) {
    this.#prefix = prefix;
  }

  async aggregate(
    results: Array<GatherResult<MetricJson[]>>,
    own: MetricJson[][] = [],
  ): Promise<Registry> {
    await this.#retireExited(new Set(results.map((result) => result.pid)));
    const parts: MetricJson[][] = [...own];
    if (this.#retired.length > 0) parts.push(this.#retired);
    let answered = 0;
    for (const result of results) {
      if (result.ok) {
        answered++;
        this.#lastSeen.set(result.pid, result.value.filter(isMonotonic));
        parts.push(result.value.map((metric) => labelGauge(metric, result.workerId)));
      } else {
        const stale = this.#lastSeen.get(result.pid);
        if (stale) parts.push(stale);
      }
    }
    parts.push([
      this.#gauge(
        'metrics_workers_answered',
        'Workers whose metrics this scrape includes live.',
        answered,
      ),
      this.#gauge(
        'metrics_workers_expected',
        'Live workers asked for metrics in this scrape.',
        results.length,
      ),
    ]);
    return AggregatorRegistry.aggregate(parts);
  }

  /** A worker absent from the gather has exited: its counters move to the retired total. */
  async #retireExited(live: Set<number>): Promise<void> {
    const exited = [...this.#lastSeen].filter(([pid]) => !live.has(pid));
    if (exited.length === 0) return;
    for (const [pid] of exited) this.#lastSeen.delete(pid);
    const sets = [this.#retired, ...exited.map(([, metrics]) => metrics)];
    // Keep one compact summed set, however many workers have come and gone.
    this.#retired = await metricsAsJson(AggregatorRegistry.aggregate(sets));
  }

  #gauge(name: string, help: string, value: number): MetricJson {
    return {
      name: `${this.#prefix}${name}`,
      help,
      type: 'gauge',
      aggregator: 'sum',
      values: [{ value, labels: {} }],
    };
  }
}

function isMonotonic(metric: MetricJson): boolean {
  return metric.type === 'counter' || metric.type === 'histogram';
}

function labelGauge(metric: MetricJson, workerId: number): MetricJson {
  if (metric.type !== 'gauge') return metric;
  return {
    ...metric,
    values: metric.values.map((value) => ({
      ...value,
      labels: { ...value.labels, worker: String(workerId) },
    })),
  };
}
