import type { Measurement } from '../load/measurement.js';
import type { ComparisonMetric } from '../scenario.js';
import { formatRatio } from './format.js';

interface MetricRule {
  value(measurement: Measurement): number;
  /** Higher is better (a target is a floor) or lower is (a target is a ceiling). */
  better: 'higher' | 'lower';
  /** The first column's heading of the metric's comparison table. */
  heading: string;
}

const RULES: Record<ComparisonMetric, MetricRule> = {
  throughput: {
    value: (m) => m.requestsPerSec,
    better: 'higher',
    heading: 'throughput of / over',
  },
  p99: { value: (m) => m.p99Ms, better: 'lower', heading: 'p99 latency of / over' },
};

/** Every metric, in the order the report's comparison tables come. */
export const COMPARISON_METRICS = Object.keys(RULES) as ComparisonMetric[];

/** The figure of one measurement a comparison of `metric` divides. */
export function metricValue(metric: ComparisonMetric, measurement: Measurement): number {
  return RULES[metric].value(measurement);
}

export function metricHeading(metric: ComparisonMetric): string {
  return RULES[metric].heading;
}

/** Whether `ratio` reaches `target`: ≥ for a higher-is-better metric, ≤ otherwise. */
export function targetMet(metric: ComparisonMetric, ratio: number, target: number): boolean {
  if (!Number.isFinite(ratio)) return false;
  return RULES[metric].better === 'higher' ? ratio >= target : ratio <= target;
}

/** The report's target cell: `≥ 0.97 met`, `≤ 1.50 **not met**`, or `—` without a target. */
export function formatTarget(
  metric: ComparisonMetric,
  ratio: number,
  target: number | undefined,
): string {
  if (target === undefined) return '—';
  const bound = RULES[metric].better === 'higher' ? '≥' : '≤';
  const verdict = targetMet(metric, ratio, target) ? 'met' : '**not met**';
  return `${bound} ${formatRatio(target)} ${verdict}`;
}
