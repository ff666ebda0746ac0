import { describe, expect, it } from 'vitest';
import { peer } from '../../test/support/peers.js';
import type {
  UpstreamController,
  UpstreamHandler,
  UpstreamRequest,
} from '../upstream/upstream-handler.js';
import type { UpstreamPool } from '../upstream/upstream-pool.js';
import { PooledTry } from './pooled-try.js';

/** A pool that only records what it was given. */
function fakePool() {
  const dispatched: UpstreamRequest[] = [];
  const pool = {
    dispatch: (request: UpstreamRequest) => dispatched.push(request),
  } as unknown as UpstreamPool;
  return { pool, dispatched };
}

const GET: UpstreamRequest = { path: '/', method: 'GET', headers: [], body: null };
const handler = {} as UpstreamHandler;

function controller() {
  const calls: string[] = [];
  const value = {
    abort: (reason: Error) => calls.push(`abort ${reason.message}`),
    pause: () => calls.push('pause'),
    resume: () => calls.push('resume'),
  } as UpstreamController;
  return { value, calls };
}

describe('PooledTry', () => {
  it('is a request in flight to its backend from dispatch to end', async () => {
    const backend = peer('a');
    const one = new PooledTry<string, string>(backend);
    one.dispatch(fakePool().pool, GET, handler);
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
    one.started(value, { served: 0 });
    expect(calls).toEqual(['abort client left']);
    expect(one.failure(new Error('aborted'))).toMatchObject({ kind: 'cancelled', sent: true });
  });

  it('tells a reused keep-alive socket from a fresh one', () => {
    const { pool, dispatched } = fakePool();
    const reset = Object.assign(new Error('reset'), { code: 'ECONNRESET' });
    const reused = new PooledTry<string, void>(peer('a'));
    reused.dispatch(pool, GET, handler);
    expect(dispatched).toEqual([GET]);
    reused.started(controller().value, { served: 2 });
    expect(reused.failure(reset)).toMatchObject({ kind: 'reset', reused: true });
    const fresh = new PooledTry<string, void>(peer('a'));
    fresh.started(controller().value, { served: 0 });
    expect(fresh.failure(reset)).toMatchObject({ kind: 'reset', reused: false });
  });
});
