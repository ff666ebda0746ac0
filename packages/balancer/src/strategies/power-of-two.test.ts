import { describe, expect, it } from 'vitest';
import { nameOf, peers, seededRandom } from '../../test/support/peers.js';
import { PowerOfTwo } from './power-of-two.js';

describe('PowerOfTwo', () => {
  it('of the two it draws, takes the one with fewer requests in flight', () => {
    const [busy, idle] = peers(1, 1);
    for (let i = 0; i < 5; i++) busy!.acquire();
    const strategy = new PowerOfTwo(seededRandom());
    for (let i = 0; i < 20; i++) {
      expect(nameOf(strategy.pick({ clientAddress: '', headers: {} }, [busy!, idle!]))).toBe('b');
    }
  });

  it('never lets the busiest of three win a draw', () => {
    const [a, b, c] = peers(1, 1, 1);
    for (let i = 0; i < 5; i++) c!.acquire();
    a!.acquire();
    const strategy = new PowerOfTwo(seededRandom(7));
    const names = new Set<string>();
    for (let i = 0; i < 200; i++) {
      names.add(nameOf(strategy.pick({ clientAddress: '', headers: {} }, [a!, b!, c!])));
    }
    expect(names).toEqual(new Set(['a', 'b']));
  });
});
