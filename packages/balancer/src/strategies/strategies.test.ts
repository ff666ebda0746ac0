import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { nameOf, peer, peers, seededRandom } from '../../test/support/peers.js';
import type { Peer } from '../backend.js';
import { ConsistentHash } from './consistent-hash.js';
import { LeastConn } from './least-conn.js';
import { PowerOfTwo } from './power-of-two.js';
import { SmoothWeighted } from './smooth-weighted.js';
import type { PickContext, Strategy } from './strategy.js';

/** One suite, every strategy: what the proxy relies on whichever one it holds. */
const STRATEGIES: Record<string, (all: readonly Peer[]) => Strategy> = {
  'round-robin': () => new SmoothWeighted(),
  'least-conn': () => new LeastConn(),
  'random-two': () => new PowerOfTwo(seededRandom()),
  hash: (all) => new ConsistentHash(all, { key: { from: 'ip' }, virtualNodes: 160 }),
};

/** Request i of a test: a different client each time, so the hash strategy spreads too. */
const request = (i: number): PickContext => ({
  clientAddress: `10.${(i >> 8) & 255}.${i & 255}.7`,
  headers: {},
});

for (const [name, create] of Object.entries(STRATEGIES)) {
  describe(`strategy ${name}`, () => {
    it('picks only among the candidates it is given', () => {
      const all = peers(1, 2, 3, 4);
      const strategy = create(all);
      for (let i = 0; i < 200; i++) {
        const candidates = all.filter((_, index) => (i >> index) % 2 === 1 || index === i % 4);
        expect(candidates).toContain(strategy.pick(request(i), candidates));
      }
    });

    it('picks the only candidate when there is one', () => {
      const all = peers(5, 1);
      expect(create(all).pick(request(0), [all[1]!])).toBe(all[1]);
    });

    it('gives a 3:1 pair 75 % ± 2 % of 4,000 picks', () => {
      const all = peers(3, 1);
      const strategy = create(all);
      let first = 0;
      for (let i = 0; i < 4_000; i++) if (strategy.pick(request(i), all) === all[0]) first++;
      expect(first / 4_000).toBeGreaterThanOrEqual(0.73);
      expect(first / 4_000).toBeLessThanOrEqual(0.77);
    });

    it('goes on picking once a failed backend is reported', () => {
      const all = peers(1, 1);
      const strategy = create(all);
      strategy.failed?.(all[0]!);
      const names = new Set<string>();
      for (let i = 0; i < 50; i++) names.add(nameOf(strategy.pick(request(i), all)));
      expect(names.has('b')).toBe(true);
    });
  });
}

/** The strategies that balance by weight: hash has none to ramp (slowStart is refused with it). */
const WEIGHTED = ['round-robin', 'least-conn', 'random-two'];

for (const name of WEIGHTED) {
  describe(`strategy ${name} with slow start`, () => {
    beforeEach(() => vi.useFakeTimers());
    afterEach(() => vi.useRealTimers());

    it("ramps a recovered backend's share of the picks up linearly over slowStart", () => {
      const a = peer('a');
      const b = peer('b', { slowStartMs: 10_000 });
      const strategy = STRATEGIES[name]!([a, b]);
      const shareOfB = () => {
        let picked = 0;
        for (let i = 0; i < 2_000; i++) if (strategy.pick(request(i), [a, b]) === b) picked++;
        return picked / 2_000;
      };
      b.health.failed(); // out for failTimeout (10 s), then back: the ramp starts
      vi.advanceTimersByTime(10_000);
      expect(b.state).toBe('up');
      const shares = [2_500, 5_000, 2_500].map((elapsed) => {
        vi.advanceTimersByTime(elapsed);
        return shareOfB();
      });
      // Weights 1 and 1 × elapsed / slowStart: b's share is w / (1 + w).
      const expected = [0.25 / 1.25, 0.75 / 1.75, 0.5];
      shares.forEach((share, index) => expect(share).toBeCloseTo(expected[index]!, 1));
    });
  });
}
