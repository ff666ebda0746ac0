import type { Peer } from '../backend.js';
import type { PickContext, Strategy } from './strategy.js';

interface Weights {
  current: number;
  effective: number;
}

/**
 * nginx's smooth weighted round robin (ngx_http_upstream_get_peer): every pick adds each
 * candidate's effective weight to its current weight, takes the highest and subtracts the total
 * from it. Weights {5, 1, 1} give `a a b a c a a`, spread out rather than `a a a a a b c`.
 * A failure lowers the effective weight by weight / maxFails; each pick gives one back, so a
 * backend that failed is eased back in instead of getting its full share at once. A backend in
 * its slow start weighs its ramped weight at most.
 */
export class SmoothWeighted implements Strategy {
  readonly #weights = new WeakMap<Peer, Weights>();

  pick(_context: PickContext | undefined, candidates: readonly Peer[]): Peer {
    let best: Peer | undefined;
    let bestWeights: Weights | undefined;
    let total = 0;
    for (const peer of candidates) {
      const weights = this.#of(peer);
      // A slow start caps the weight below what the effective weight has recovered to.
      const weight = Math.min(weights.effective, peer.rampedWeight);
      weights.current += weight;
      total += weight;
      if (weights.effective < peer.weight) weights.effective++;
      if (!bestWeights || weights.current > bestWeights.current) {
        best = peer;
        bestWeights = weights;
      }
    }
    bestWeights!.current -= total;
    return best!;
  }

  failed(peer: Peer): void {
    const maxFails = peer.health.maxFails;
    if (maxFails === 0) return;
    const weights = this.#of(peer);
    // nginx divides in integers: weight 1 with maxFails 2 loses nothing.
    weights.effective = Math.max(0, weights.effective - Math.floor(peer.weight / maxFails));
  }

  /** The weight the next picks work with (for the stats, and tests). */
  effectiveWeight(peer: Peer): number {
    return this.#of(peer).effective;
  }

  /** A lowered weight caps what a backend's effective weight has grown to; a new one starts full. */
  rebuild(peers: readonly Peer[]): void {
    for (const peer of peers) {
      const weights = this.#of(peer);
      weights.effective = Math.min(weights.effective, peer.weight);
    }
  }

  #of(peer: Peer): Weights {
    let weights = this.#weights.get(peer);
    if (!weights) {
      weights = { current: 0, effective: peer.weight };
      this.#weights.set(peer, weights);
    }
    return weights;
  }
}
