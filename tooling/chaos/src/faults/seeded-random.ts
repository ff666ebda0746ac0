/**
 * A seeded pseudo-random source (mulberry32): a scenario that chooses at random prints its seed,
 * and the same seed replays the same choices.
 */
export class SeededRandom {
  #state: number;

  constructor(readonly seed: number) {
    this.#state = seed >>> 0;
  }

  /** In [0, 1). */
  next(): number {
    this.#state = (this.#state + 0x6d2b79f5) >>> 0;
    let t = this.#state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  }

  /** An integer in [0, below). */
  int(below: number): number {
    return Math.floor(this.next() * below);
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)]!;
  }
}

/** The same source as a plain function, for code that takes `() => number` like Math.random. */
export function seededRandom(seed: number): () => number {
  const random = new SeededRandom(seed);
  return () => random.next();
}

/** The seed in `variable` when set (to replay a run), else a fresh one (the scenario prints it). */
export function chaosSeed(
  variable = 'KF_CHAOS_SEED',
  env: NodeJS.ProcessEnv = process.env,
): number {
  const given = env[variable];
  if (given !== undefined && /^\d+$/.test(given)) return Number(given) >>> 0;
  return Math.floor(Math.random() * 2 ** 31);
}

/** `KF_CHAOS_FUZZ_SEED` replays a fuzz run. */
export function fuzzSeed(env: NodeJS.ProcessEnv = process.env): number {
  return chaosSeed('KF_CHAOS_FUZZ_SEED', env);
}
