import { checkDuration, InvalidOptionError } from '@koa-fleet/errors';

/** nginx's `server … slow_start=30s`, for every backend or one of them. */
export interface SlowStartOptions {
  /**
   * After a backend comes back (it was down or draining), its weight grows linearly from 0 to
   * its full weight over this long. Default 0: back at full weight at once.
   */
  slowStart?: number | string;
}

/** `path` is where the option sits (`''` at the top, `backends[2]` for one backend). */
export function resolveSlowStart(path: string, input: SlowStartOptions, defaultMs: number): number {
  if (input.slowStart === undefined) return defaultMs;
  return checkDuration(path ? `${path}.slowStart` : 'slowStart', input.slowStart);
}

/**
 * Slow start ramps a weight, and the hash strategy has none to ramp: a key belongs to one backend
 * (nginx refuses `slow_start` with `hash` too). `given` says where backend i's slow start was set
 * and as what: its own `backends[i].slowStart`, or the top-level `slowStart` it took.
 */
export function checkSlowStartStrategy(
  strategy: string,
  slowStartMs: readonly number[],
  given: (index: number) => { path: string; value: unknown },
): void {
  if (strategy !== 'hash') return;
  const index = slowStartMs.findIndex((ms) => ms > 0);
  if (index === -1) return;
  const { path, value } = given(index);
  throw new InvalidOptionError(
    path,
    '0 with the hash strategy (a key belongs to one backend: there is no weight to ramp)',
    value,
  );
}

/**
 * One backend's ramp: from the moment it comes back, the share of its weight it gets grows
 * linearly from 0 to 1 over `durationMs`. Linear in time, as nginx's `slow_start`: a backend
 * that just started (cold caches, JIT) takes a little load first and its full share at the end.
 */
export class SlowStart {
  readonly #durationMs: number;
  #since: number | undefined;

  constructor(durationMs: number) {
    this.#durationMs = durationMs;
  }

  /** The backend is back in rotation. */
  begin(): void {
    if (this.#durationMs > 0) this.#since = Date.now();
  }

  /** The share of its weight the backend gets now: 1 outside a ramp, in (0, 1) during one. */
  share(): number {
    if (this.#since === undefined) return 1;
    // At least 1 ms: a share of 0 would leave least-conn's requests-per-weight undefined.
    const elapsed = Math.max(Date.now() - this.#since, 1);
    if (elapsed < this.#durationMs) return elapsed / this.#durationMs;
    this.#since = undefined;
    return 1;
  }
}
