import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';

export interface EventLoopDelay {
  /** Milliseconds, over the last completed window (or since start, before the first one). */
  meanMs: number;
  p99Ms: number;
  maxMs: number;
}

const RESOLUTION_MS = 10;
const WINDOW_MS = 5_000;

/**
 * One event-loop delay histogram per process, shared by the check and the metrics so they agree
 * and the loop is sampled once. It is reset every window so a single old stall does not stay
 * in the figures forever; readers see the last full window.
 */
class EventLoopMonitor {
  #histogram: IntervalHistogram | undefined;
  #last: EventLoopDelay | undefined;

  read(): EventLoopDelay {
    this.#start();
    return this.#last ?? snapshot(this.#histogram!);
  }

  #start(): void {
    if (this.#histogram) return;
    const histogram = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
    histogram.enable();
    this.#histogram = histogram;
    // Unref'd: sampling must never keep a process alive that would otherwise exit.
    setInterval(() => {
      this.#last = snapshot(histogram);
      histogram.reset();
    }, WINDOW_MS).unref();
  }
}

function snapshot(histogram: IntervalHistogram): EventLoopDelay {
  // Before the first sample the histogram reports NaN/huge values; report zero lag instead.
  if (histogram.count === 0) return { meanMs: 0, p99Ms: 0, maxMs: 0 };
  // The histogram measures delay including the sampling resolution itself; subtract it.
  const ms = (ns: number) => Math.max(0, ns / 1e6 - RESOLUTION_MS);
  return {
    meanMs: ms(histogram.mean),
    p99Ms: ms(histogram.percentile(99)),
    maxMs: ms(histogram.max),
  };
}

export const eventLoopMonitor = new EventLoopMonitor();
