import { describe, expect, it } from 'vitest';
import { nameOf, peers } from '../../test/support/peers.js';
import { ConsistentHash, resolveHashOptions } from './consistent-hash.js';

const byIp = resolveHashOptions('strategy', { name: 'hash' });
const keys = Array.from({ length: 10_000 }, (_, i) => `user-${i}`);

describe('ConsistentHash', () => {
  it('sends a key to the same backend every time', () => {
    const all = peers(1, 1, 1);
    const strategy = new ConsistentHash(all, byIp);
    for (const key of keys.slice(0, 200)) {
      const first = strategy.pick({ clientAddress: key, headers: {} }, all);
      for (let again = 0; again < 3; again++) {
        expect(strategy.pick({ clientAddress: key, headers: {} }, all)).toBe(first);
      }
    }
  });

  it('moves only the keys of a backend that leaves: at most 1/N of them, plus a little', () => {
    const all = peers(1, 1, 1, 1, 1);
    const strategy = new ConsistentHash(all, byIp);
    const before = keys.map((key) => strategy.pick({ clientAddress: key, headers: {} }, all));
    for (const leaving of all) {
      const left = all.filter((peer) => peer !== leaving);
      let moved = 0;
      keys.forEach((key, index) => {
        const after = strategy.pick({ clientAddress: key, headers: {} }, left);
        if (after !== before[index]) {
          moved++;
          expect(before[index], `${key} moved off ${nameOf(before[index]!)}`).toBe(leaving);
        }
      });
      expect(moved / keys.length).toBeLessThanOrEqual(1 / all.length + 0.03);
    }
  });

  it('rebuilt without a backend, moves only its keys; with a new one, only keys to it', () => {
    const all = peers(1, 1, 1, 1, 1);
    const strategy = new ConsistentHash(all, byIp);
    const pick = (candidates: typeof all) =>
      keys.map((key) => strategy.pick({ clientAddress: key, headers: {} }, candidates));
    const before = pick(all);
    const leaving = all[2]!;
    const left = all.filter((peer) => peer !== leaving);
    strategy.rebuild(left);
    const after = pick(left);
    keys.forEach((key, index) => {
      if (after[index] !== before[index]) expect(before[index], key).toBe(leaving);
    });
    expect(after.filter((peer, index) => peer !== before[index]).length).toBe(
      before.filter((peer) => peer === leaving).length,
    );
    // It comes back (a new backend of the same URL): its keys return to it, no other key moves.
    strategy.rebuild(all);
    expect(pick(all)).toEqual(before);
  });

  it('rebuilt with another weight, moves keys only to or from the re-weighted backend', () => {
    const all = peers(1, 1, 1, 1);
    const strategy = new ConsistentHash(all, byIp);
    const pick = () => keys.map((key) => strategy.pick({ clientAddress: key, headers: {} }, all));
    const before = pick();
    const heavier = all[1]!;
    heavier.setWeight(3);
    strategy.rebuild(all);
    const after = pick();
    keys.forEach((key, index) => {
      if (after[index] !== before[index]) expect(after[index], key).toBe(heavier);
    });
    // Weight 3 of 6: about half the keys.
    const share = after.filter((peer) => peer === heavier).length / keys.length;
    expect(share).toBeGreaterThan(0.4);
    expect(share).toBeLessThan(0.6);
  });

  it('keys on a cookie or a header, and on the address when the request has neither', () => {
    const all = peers(1, 1, 1, 1);
    const cookie = new ConsistentHash(
      all,
      resolveHashOptions('strategy', { name: 'hash', key: 'cookie:sid' }),
    );
    const header = new ConsistentHash(
      all,
      resolveHashOptions('strategy', { name: 'hash', key: 'header:X-User' }),
    );
    const context = (headers: Record<string, string>) => ({ clientAddress: '10.0.0.1', headers });
    expect(cookie.keyOf(context({ cookie: 'theme=dark; sid=abc; x=1' }))).toBe('abc');
    expect(cookie.keyOf(context({ cookie: 'theme=dark' }))).toBe('10.0.0.1');
    expect(header.keyOf(context({ 'x-user': 'u-7' }))).toBe('u-7');
    expect(header.keyOf(context({}))).toBe('10.0.0.1');
  });

  it('names the option when a key is not ip, cookie:<name> or header:<name>', () => {
    expect(() =>
      resolveHashOptions('strategy', { name: 'hash', key: 'query:id' as 'ip' }),
    ).toThrowError(
      'option "strategy.key" must be "ip", "cookie:<name>" or "header:<name>", got "query:id"',
    );
  });
});
