import { afterEach, describe, expect, it } from 'vitest';
import type { ResolvedBackend } from './backend.js';
import { BackendSet } from './backend-set.js';

const sets: BackendSet[] = [];
afterEach(() => sets.splice(0).forEach((set) => set.dispose()));

function backendSet(entries: { name: string; backup?: boolean; maxConns?: number }[]) {
  const configs: ResolvedBackend[] = entries.map(({ name, backup = false, maxConns = 0 }) => ({
    url: `http://${name}.test:80`,
    weight: 1,
    backup,
    maxConns,
    slowStartMs: 0,
    health: { maxFails: 1, failTimeoutMs: 60_000 },
  }));
  const set = new BackendSet(configs, () => {});
  sets.push(set);
  const peer = (name: string) => set.find(`http://${name}.test:80`)!;
  const names = (tried: string[] = []) =>
    set.candidates(new Set(tried.map(peer))).map((candidate) => new URL(candidate.url).hostname);
  return { set, peer, names };
}

describe('BackendSet.candidates', () => {
  it('offers the primaries that are up, then the backups that are up', () => {
    const { peer, names } = backendSet([{ name: 'a' }, { name: 'b' }, { name: 'c', backup: true }]);
    expect(names()).toEqual(['a.test', 'b.test']);
    peer('a').health.failed();
    expect(names()).toEqual(['b.test']);
    peer('b').health.failed();
    expect(names()).toEqual(['c.test']);
  });

  it('offers the backends that are down when none is up, primaries first, except those tried', () => {
    const { peer, names } = backendSet([{ name: 'a' }, { name: 'b' }, { name: 'c', backup: true }]);
    for (const name of ['a', 'b', 'c']) peer(name).health.failed();
    expect(['a', 'b', 'c'].map((name) => peer(name).state)).toEqual(['down', 'down', 'down']);
    expect(names()).toEqual(['a.test', 'b.test']);
    expect(names(['a'])).toEqual(['b.test']);
    expect(names(['a', 'b'])).toEqual(['c.test']);
    expect(names(['a', 'b', 'c'])).toEqual([]);
  });

  it('never offers a backend the admin holds out, one draining, or one at its maxConns', () => {
    const { peer, names } = backendSet([
      { name: 'a' },
      { name: 'b' },
      { name: 'c', maxConns: 1 },
      { name: 'd' },
    ]);
    for (const name of ['a', 'b', 'c']) peer(name).health.failed();
    peer('d').health.draining();
    peer('a').drain();
    peer('c').acquire(); // its one request in flight
    expect(names()).toEqual(['b.test']);
    peer('b').drain();
    expect(names()).toEqual([]);
  });
});
