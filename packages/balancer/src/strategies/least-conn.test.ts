import { describe, expect, it } from 'vitest';
import { nameOf, peers } from '../../test/support/peers.js';
import { LeastConn } from './least-conn.js';

describe('LeastConn', () => {
  it('picks the backend with the fewest requests in flight per unit of weight', () => {
    const [a, b, c] = peers(1, 2, 1);
    a!.acquire(); // 1 / 1
    b!.acquire(); // 1 / 2: the least
    c!.acquire();
    c!.acquire(); // 2 / 1
    expect(nameOf(new LeastConn().pick({ clientAddress: '', headers: {} }, [a!, b!, c!]))).toBe(
      'b',
    );
  });

  it('breaks ties by smooth weighted round robin', () => {
    const all = peers(2, 1);
    const strategy = new LeastConn();
    const order = Array.from({ length: 6 }, () =>
      nameOf(strategy.pick({ clientAddress: '', headers: {} }, all)),
    );
    expect(order.join(' ')).toBe('a b a a b a');
  });
});
