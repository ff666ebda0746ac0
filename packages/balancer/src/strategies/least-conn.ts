import type { Peer } from '../backend.js';
import { SmoothWeighted } from './smooth-weighted.js';
import type { PickContext, Strategy } from './strategy.js';

/**
 * nginx's `least_conn`: the backend with the fewest requests in flight per unit of weight
 * (active / weight, compared as active × other weight so no division rounds); ties are broken by
 * smooth weighted round robin, so idle backends still share by weight. The weights are the
 * ramped ones: a backend in its slow start counts as busier than its requests alone say.
 */
export class LeastConn implements Strategy {
  readonly #roundRobin = new SmoothWeighted();

  pick(context: PickContext, candidates: readonly Peer[]): Peer {
    let least: Peer[] = [];
    for (const peer of candidates) {
      const best = least[0];
      const order = best ? peer.active * best.rampedWeight - best.active * peer.rampedWeight : -1;
      if (order < 0) least = [peer];
      else if (order === 0) least.push(peer);
    }
    return least.length === 1 ? least[0]! : this.#roundRobin.pick(context, least);
  }

  failed(peer: Peer): void {
    this.#roundRobin.failed(peer);
  }

  rebuild(peers: readonly Peer[]): void {
    this.#roundRobin.rebuild(peers);
  }
}
