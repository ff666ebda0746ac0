import type { AdminBackend } from '../../src/admin/admin-types.js';

export interface BackendRate {
  /** Tries sent to it per second since the previous stats. */
  rps: number;
  /** Its part of every try sent in that time, 0 to 1; 0 when there were none. */
  share: number;
}

/**
 * Requests per second and share of traffic per backend, from the difference between two
 * `stats` events (each carries the backends' running totals and its time).
 */
export class TrafficMeter {
  #previous = new Map<string, number>();
  #previousAt: number | undefined;

  update(backends: readonly AdminBackend[], at: string): Map<string, BackendRate> {
    const now = Date.parse(at);
    const seconds = this.#previousAt === undefined ? 0 : (now - this.#previousAt) / 1_000;
    const deltas = new Map<string, number>();
    let total = 0;
    for (const backend of backends) {
      const before = this.#previous.get(backend.url);
      // A backend new since the last stats (or one whose totals restarted) counts from here.
      const delta =
        before === undefined || backend.requests < before ? 0 : backend.requests - before;
      deltas.set(backend.url, delta);
      total += delta;
    }
    this.#previous = new Map(backends.map((backend) => [backend.url, backend.requests]));
    this.#previousAt = now;
    const rates = new Map<string, BackendRate>();
    for (const [url, delta] of deltas) {
      rates.set(url, {
        rps: seconds > 0 ? delta / seconds : 0,
        share: total > 0 ? delta / total : 0,
      });
    }
    return rates;
  }
}
