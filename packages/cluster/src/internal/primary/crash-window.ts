/**
 * Counts crashes in a sliding time window, whatever the uptime of the worker that crashed.
 * (PM2's `min_uptime` rule only counts short-lived crashes, so an app that dies after a few
 * seconds restarts forever; here every crash counts.)
 */
export class CrashWindow {
  readonly #windowMs: number;
  #times: number[] = [];

  constructor(windowMs: number) {
    this.#windowMs = windowMs;
  }

  /** Records a crash and returns how many fell inside the window, this one included. */
  record(now: number = Date.now()): number {
    this.#times.push(now);
    return this.count(now);
  }

  count(now: number = Date.now()): number {
    this.#times = this.#times.filter((time) => now - time < this.#windowMs);
    return this.#times.length;
  }
}
