import { describe, expect, it } from 'vitest';
import { WriteBatcher, type BatchedWrite, type ScriptReply } from './write-batcher.js';

/** A sender that records each call and answers 'ok:<key>' per write. */
function recordingSender() {
  const calls: BatchedWrite[][] = [];
  const send = (writes: readonly BatchedWrite[]) => {
    calls.push([...writes]);
    return Promise.resolve(writes.map((w): ScriptReply => ['ok', w.key]));
  };
  return { calls, send };
}

describe('WriteBatcher', () => {
  it('sends the writes of one turn in one call and hands each its own reply', async () => {
    const { calls, send } = recordingSender();
    const batcher = new WriteBatcher(send);
    const replies = await Promise.all(['a', 'b', 'c'].map((key) => batcher.write(key, ['x'])));
    expect(calls.map((call) => call.map((w) => w.key))).toEqual([['a', 'b', 'c']]);
    expect(replies).toEqual([
      ['ok', 'a'],
      ['ok', 'b'],
      ['ok', 'c'],
    ]);
    await batcher.write('d', ['x']); // a later turn: a call of its own
    expect(calls).toHaveLength(2);
  });

  it('starts a new call after 64 writes or 4096 arguments', async () => {
    const { calls, send } = recordingSender();
    const batcher = new WriteBatcher(send);
    const small = Array.from({ length: 130 }, (_, i) => batcher.write(`k${i}`, ['1']));
    await Promise.all(small);
    expect(calls.map((call) => call.length)).toEqual([64, 64, 2]);

    calls.length = 0;
    const big = new Array<string>(5000).fill('v');
    await Promise.all([
      batcher.write('small', ['1', '2']),
      batcher.write('big', big),
      batcher.write('after', ['1']),
    ]);
    expect(calls.map((call) => call.map((w) => w.key))).toEqual([['small'], ['big'], ['after']]);
  });

  it('fails every write of a call that fails, whether the sender rejects or throws', async () => {
    const rejecting = new WriteBatcher(() => Promise.reject(new Error('connection lost')));
    const throwing = new WriteBatcher(() => {
      throw new Error('thrown synchronously');
    });
    const results = await Promise.allSettled([
      rejecting.write('a', []),
      rejecting.write('b', []),
      throwing.write('c', []),
    ]);
    expect(results.map((r) => (r as PromiseRejectedResult).reason?.message)).toEqual([
      'connection lost',
      'connection lost',
      'thrown synchronously',
    ]);
  });

  it('fails the writes of a call whose reply count does not match', async () => {
    const batcher = new WriteBatcher(() => Promise.resolve([['ok']]));
    const results = await Promise.allSettled([batcher.write('a', []), batcher.write('b', [])]);
    expect(results.every((r) => r.status === 'rejected')).toBe(true);
    expect((results[0] as PromiseRejectedResult).reason.message).toBe('1 replies for 2 writes');
  });
});

describe('WriteBatcher failures', () => {
  it('reports a reply count that does not match as a backend error (a 503 cause)', async () => {
    const batcher = new WriteBatcher(() => Promise.resolve([]));
    await expect(batcher.write('a', [])).rejects.toMatchObject({ code: 'KF_SESSION_BACKEND' });
  });
});
