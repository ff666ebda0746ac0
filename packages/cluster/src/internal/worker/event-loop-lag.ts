import { monitorEventLoopDelay } from 'node:perf_hooks';

/** Samples the event-loop delay between heartbeats; reset at each read. */
export class EventLoopLag {
  static readonly RESOLUTION_MS = 20;
  readonly #histogram = monitorEventLoopDelay({ resolution: EventLoopLag.RESOLUTION_MS });

  constructor() {
    this.#histogram.enable();
  }

  /** Mean delay in ms since the last read, beyond the sampling timer's own period. */
  read(): number {
    // The histogram records whole timer periods; an idle loop reads as the resolution itself.
    const period =
      this.#histogram.count > 0 ? this.#histogram.mean / 1e6 : EventLoopLag.RESOLUTION_MS;
    const mean = Math.max(0, period - EventLoopLag.RESOLUTION_MS);
    this.#histogram.reset();
    return Math.round(mean * 100) / 100;
  }
}
