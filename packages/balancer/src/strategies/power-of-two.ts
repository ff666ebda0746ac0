import type { Peer } from '../backend.js';
import type { PickContext, Strategy } from './strategy.js';

/**
 * Power of two random choices (nginx's `random two least_conn`): two distinct backends drawn at
 * random by weight, and the one with fewer requests in flight per unit of weight wins. Nearly as
 * even as least-connections, with no scan of every backend's count and no herd on one idle one.
 * Draws and counts use the ramped weights, so a backend in its slow start wins less often.
 */
export class PowerOfTwo implements Strategy {
  readonly #random: () => number;

  /** `random` is `Math.random` but for tests. */
  constructor(random: () => number = Math.random) {
    this.#random = random;
  }

  pick(_context: PickContext, candidates: readonly Peer[]): Peer {
    if (candidates.length === 1) return candidates[0]!;
    const first = this.#draw(candidates, undefined);
    const second = this.#draw(candidates, first);
    return second.active * first.rampedWeight < first.active * second.rampedWeight ? second : first;
  }

  /** One backend at random, each as likely as its weight, leaving `except` out. */
  #draw(candidates: readonly Peer[], except: Peer | undefined): Peer {
    let total = 0;
    for (const peer of candidates) if (peer !== except) total += peer.rampedWeight;
    let ticket = this.#random() * total;
    let last: Peer | undefined;
    for (const peer of candidates) {
      if (peer === except) continue;
      last = peer;
      ticket -= peer.rampedWeight;
      if (ticket < 0) return peer;
    }
    return last!; // only when random() rounds to the total
  }
}
