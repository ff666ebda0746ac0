import type { Dispatcher, Pool } from 'undici';
import { describe, expect, it } from 'vitest';
import { peer } from '../../test/support/peers.js';
import { PooledTry } from './pooled-try.js';

/** A pool that only records what it was given. */
function fakePool() {
  const dispatched: (Dispatcher.DispatchOptions & { onConnection?: (use: unknown) => void })[] = [];
  const pool = { dispatch: (options: never) => dispatched.push(options) } as unknown as Pool;
  return { pool, dispatched };
}

function controller() {
  const calls: string[] = [];
  const value = {
    abort: (reason: Error) => calls.push(`abort ${reason.message}`),
    pause: () => calls.push('pause'),
    resume: () => calls.push('resume'),
  } as unknown as Dispatcher.DispatchController;
  return { value, calls };
}

describe('PooledTry', () => {
  it('is a request in flight to its backend from dispatch to end', async () => {
    const backend = peer('a');
    const one = new PooledTry<string, string>(backend);
    one.dispatch(fakePool().pool, { path: '/', method: 'GET' }, {});
    expect(backend.active).toBe(1);
    one.end('over');
    one.end('again');
    expect(backend.active).toBe(0);
    expect(await one.done).toBe('over');
  });

  it('settles once, and a cancel before the start aborts the request when it starts', async () => {
    const one = new PooledTry<string, void>(peer('a'));
    one.cancel(new Error('client left'), 'cancelled');
    expect(one.settle('answered')).toBe(false);
    expect(await one.result).toBe('cancelled');
    const { value, calls } = controller();
    one.started(value);
    expect(calls).toEqual(['abort client left']);
    expect(one.failure(new Error('aborted'))).toMatchObject({ kind: 'cancelled', sent: true });
  });

  it('tells a reused keep-alive socket from a fresh one', () => {
    const { pool, dispatched } = fakePool();
    const one = new PooledTry<string, void>(peer('a'));
    one.dispatch(pool, { path: '/', method: 'GET' }, {});
    dispatched[0]!.onConnection!({ served: 2 });
    one.started(controller().value);
    const reset = Object.assign(new Error('reset'), { code: 'ECONNRESET' });
    expect(one.failure(reset)).toMatchObject({ kind: 'reset', reused: true });
  });
});
