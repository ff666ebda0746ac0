/**
 * A seeded pseudo-random source (mulberry32): a scenario that chooses at random prints its seed,
 * and the same seed replays the same choices.
 */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The seed from `KF_CHAOS_SEED` when set (to replay a run), else a fresh one. */
export function chaosSeed(): number {
  const given = process.env.KF_CHAOS_SEED;
  return given && /^\d+$/.test(given) ? Number(given) : Math.floor(Math.random() * 2 ** 31);
}
