import { Peer, type ResolvedBackend } from '../../src/backend.js';

/** Peers for unit tests: `peers(5, 1, 1)` are a, b, c with those weights, never taken out. */
export function peers(...weights: number[]): Peer[] {
  return weights.map((weight, index) => peer(String.fromCharCode(97 + index), { weight }));
}

export function peer(name: string, overrides: Partial<ResolvedBackend> = {}): Peer {
  const config: ResolvedBackend = {
    url: `http://${name}.test:80`,
    weight: 1,
    backup: false,
    maxConns: 0,
    health: { maxFails: 1, failTimeoutMs: 10_000 },
    slowStartMs: 0,
    ...overrides,
  };
  return new Peer(config, { mayLeave: () => true, changed: () => {} });
}

/** A peer's one-letter name, for readable expectations. */
export const nameOf = (peer: Peer) => new URL(peer.url).hostname.split('.')[0]!;

/** A seeded generator (mulberry32), so a random strategy's test is the same on every run. */
export function seededRandom(seed = 42): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
