/** How far back the latency percentiles look: the last 10 seconds, one slot per second. */
export const WINDOW_SECONDS = 10;

/**
 * Bucket upper bounds in milliseconds, HDR-style: 4 buckets per doubling from 0.05 ms up to
 * about 100 s (an error of at most 19 % on a percentile), then one more for everything above.
 */
const SMALLEST_MS = 0.05;
const PER_DOUBLING = 4;
export const BUCKET_COUNT = 86;

/** The upper bound (ms) of bucket `index`; the last one has none. */
export function bucketBound(index: number): number {
  return index >= BUCKET_COUNT - 1 ? Infinity : SMALLEST_MS * 2 ** (index / PER_DOUBLING);
}

function bucketOf(ms: number): number {
  if (!(ms > SMALLEST_MS)) return 0; // NaN and negatives too
  const index = Math.ceil(Math.log2(ms / SMALLEST_MS) * PER_DOUBLING);
  return index < BUCKET_COUNT ? index : BUCKET_COUNT - 1;
}

/**
 * Latencies of the last `WINDOW_SECONDS` in fixed buckets: a ring of one bucket array per second,
 * the oldest cleared when its slot comes round again. Recording is a few arithmetic operations on
 * preallocated typed arrays — no object and no timer per request.
 */
export class LatencyWindow {
  readonly #counts = new Uint32Array(WINDOW_SECONDS * BUCKET_COUNT);
  /** The second each slot holds, so a stale slot is told from a current one. */
  readonly #seconds = new Float64Array(WINDOW_SECONDS).fill(-1);

  /** `nowMs` is `performance.now()`. */
  record(ms: number, nowMs: number): void {
    const second = Math.floor(nowMs / 1_000);
    const slot = second % WINDOW_SECONDS;
    const start = slot * BUCKET_COUNT;
    if (this.#seconds[slot] !== second) {
      this.#counts.fill(0, start, start + BUCKET_COUNT);
      this.#seconds[slot] = second;
    }
    this.#counts[start + bucketOf(ms)]!++;
  }

  /** The window's counts per bucket (summed over its seconds), for a snapshot or the wire. */
  buckets(nowMs: number): number[] {
    const second = Math.floor(nowMs / 1_000);
    const summed = new Array<number>(BUCKET_COUNT).fill(0);
    for (let slot = 0; slot < WINDOW_SECONDS; slot++) {
      const age = second - this.#seconds[slot]!;
      if (age < 0 || age >= WINDOW_SECONDS) continue;
      const start = slot * BUCKET_COUNT;
      for (let bucket = 0; bucket < BUCKET_COUNT; bucket++) {
        summed[bucket]! += this.#counts[start + bucket]!;
      }
    }
    return summed;
  }
}

/** The `q` quantile (0.5, 0.99) of bucket counts, as the bucket's upper bound; null when empty. */
export function quantile(buckets: readonly number[], q: number): number | null {
  let total = 0;
  for (const count of buckets) total += count;
  if (total === 0) return null;
  const rank = Math.max(1, Math.ceil(q * total));
  let seen = 0;
  for (let index = 0; index < buckets.length; index++) {
    seen += buckets[index]!;
    if (seen >= rank) {
      const bound = bucketBound(index);
      // Above the last bound: say the last finite one rather than Infinity (JSON has none).
      return Number((Number.isFinite(bound) ? bound : bucketBound(index - 1)).toFixed(2));
    }
  }
  return null;
}
