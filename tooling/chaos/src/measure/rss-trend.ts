import type { RssSample } from './rss-sampler.js';

/** What one process's samples say about its memory. */
export interface RssTrend {
  pid: number;
  samples: number;
  maxBytes: number;
  /** Medians of the second and the last quarter of its samples; undefined when too few. */
  secondQuarterMedian: number | undefined;
  lastQuarterMedian: number | undefined;
  /** lastQuarterMedian ÷ secondQuarterMedian. */
  growth: number | undefined;
}

/**
 * A process needs this many samples for a trend: fewer (a worker that lived a few seconds) and
 * only its maximum is judged.
 */
export const MIN_TREND_SAMPLES = 12;

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};

/**
 * Per process (pid) in a series: its maximum, and whether it grows. The second quarter is the
 * baseline, not the first, which holds the start-up (JIT, heap sizing); medians, so one GC peak
 * does not decide.
 */
export function rssTrends(samples: readonly RssSample[]): RssTrend[] {
  const byPid = new Map<number, number[]>();
  for (const { pid, rssBytes } of samples) byPid.set(pid, [...(byPid.get(pid) ?? []), rssBytes]);
  return [...byPid].map(([pid, values]) => {
    const quarter = Math.floor(values.length / 4);
    const enough = values.length >= MIN_TREND_SAMPLES;
    const second = enough ? median(values.slice(quarter, 2 * quarter)) : undefined;
    const last = enough ? median(values.slice(values.length - quarter)) : undefined;
    return {
      pid,
      samples: values.length,
      maxBytes: Math.max(...values),
      secondQuarterMedian: second,
      lastQuarterMedian: last,
      growth: second !== undefined && last !== undefined ? last / second : undefined,
    };
  });
}
