import type { SessionLogger } from './logger.js';

/** Most one warning per this many ms: an outage fails every request, the log needs one line. */
const INTERVAL_MS = 1000;

/**
 * Reports why the store was unavailable — the driver's own error, which the 503 body leaves
 * out — at most once a second, with how many failures went unreported since the last line.
 */
export class OutageLog {
  readonly #logger: SessionLogger;
  readonly #backend: string;
  #lastAt = -Infinity;
  #suppressed = 0;

  constructor(logger: SessionLogger, backend: string) {
    this.#logger = logger;
    this.#backend = backend;
  }

  report(op: string, cause: unknown, now = performance.now()): void {
    if (now - this.#lastAt < INTERVAL_MS) {
      this.#suppressed += 1;
      return;
    }
    const suppressed = this.#suppressed;
    this.#lastAt = now;
    this.#suppressed = 0;
    this.#logger.warn(
      { backend: this.#backend, op, err: cause, ...(suppressed > 0 ? { suppressed } : {}) },
      'session store unavailable',
    );
  }
}
