import { describe, expect, it } from 'vitest';
import { nameOf, peer, peers } from '../../test/support/peers.js';
import type { Peer } from '../backend.js';
import { SmoothWeighted } from './smooth-weighted.js';

describe('SmoothWeighted (nginx round robin)', () => {
  it('orders weights {5, 1, 1} as a a b a c a a, cycle after cycle', () => {
    const all = peers(5, 1, 1);
    const strategy = new SmoothWeighted();
    const order = Array.from({ length: 21 }, () => nameOf(strategy.pick(undefined, all)));
    expect(order.join(' ')).toBe('a a b a c a a a a b a c a a a a b a c a a');
  });

  it('lowers the effective weight by weight / maxFails on a failure, and gives it back one per pick', () => {
    const [a, b] = peers(4, 4);
    const strategy = new SmoothWeighted();
    // maxFails 1: one failure takes all 4 off.
    strategy.failed(a!);
    expect(strategy.effectiveWeight(a!)).toBe(0);
    const recovered = Array.from({ length: 4 }, () => {
      strategy.pick(undefined, [a!, b!]);
      return strategy.effectiveWeight(a!);
    });
    expect(recovered).toEqual([1, 2, 3, 4]);
    // While it recovers, b takes most of the picks.
    const fresh = new SmoothWeighted();
    fresh.failed(a!);
    const first = Array.from({ length: 4 }, () => nameOf(fresh.pick(undefined, [a!, b!])));
    expect(first.filter((name) => name === 'b').length).toBeGreaterThan(2);
  });

  it('follows a new weight from the next picks, and a backend that joins gets its share', () => {
    const [a, b, c] = peers(1, 1, 1) as [Peer, Peer, Peer];
    const strategy = new SmoothWeighted();
    const share = (candidates: readonly Peer[], of: Peer, picks = 1_200) => {
      let picked = 0;
      for (let i = 0; i < picks; i++) if (strategy.pick(undefined, candidates) === of) picked++;
      return picked / picks;
    };
    expect(share([a, b], a)).toBe(0.5);
    a.setWeight(3);
    strategy.rebuild([a, b]);
    expect(share([a, b], a)).toBeCloseTo(0.75, 2);
    a.setWeight(1);
    strategy.rebuild([a, b]);
    expect(strategy.effectiveWeight(a)).toBe(1);
    expect(share([a, b], a)).toBeCloseTo(0.5, 2);
    expect(share([a, b, c], c)).toBeCloseTo(1 / 3, 2);
  });

  it('keeps a backend with maxFails 0 at its full weight', () => {
    const noFails = peer('a', { weight: 3, health: { maxFails: 0, failTimeoutMs: 1_000 } });
    const strategy = new SmoothWeighted();
    strategy.failed(noFails);
    expect(strategy.effectiveWeight(noFails)).toBe(3);
  });
});
