import { Gauge, type Registry } from 'prom-client';
import { eventLoopMonitor } from '../internal/event-loop-monitor.js';
import { reuseMetric } from './reuse-metric.js';

/** Event-loop lag and RSS, read at scrape time so they cost nothing between scrapes. */
export function registerProcessMetrics(registry: Registry, prefix: string): void {
  const registers = [registry];
  reuseMetric(
    registry,
    `${prefix}event_loop_lag_seconds`,
    () =>
      new Gauge({
        name: `${prefix}event_loop_lag_seconds`,
        help: 'p99 event-loop delay over the last 5 s window, in seconds.',
        registers,
        collect() {
          this.set(eventLoopMonitor.read().p99Ms / 1000);
        },
      }),
  );
  reuseMetric(
    registry,
    `${prefix}process_resident_memory_bytes`,
    () =>
      new Gauge({
        name: `${prefix}process_resident_memory_bytes`,
        help: 'Resident set size in bytes.',
        registers,
        collect() {
          this.set(process.memoryUsage.rss());
        },
      }),
  );
  eventLoopMonitor.read();
}
