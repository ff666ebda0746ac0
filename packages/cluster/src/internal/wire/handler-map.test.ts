import { describe, expect, it, vi } from 'vitest';
import { IpcUnknownTypeError } from '../../errors.js';
import { dispatcher, handlerOf } from './handler-map.js';

describe('dispatcher', () => {
  it("calls a map's handler for the request's type with the payload and the sender", async () => {
    const get = vi.fn((payload: unknown, from: { workerId: number }) => ({ payload, from }));
    const answer = dispatcher<[{ workerId: number }]>('store', { get, set: () => 'set' });
    expect(answer('get', 'sid', { workerId: 1 })).toEqual({
      payload: 'sid',
      from: { workerId: 1 },
    });
    expect(answer('set', null, { workerId: 0 })).toBe('set');
  });

  it('answers a type the map does not list with KF_IPC_UNKNOWN_TYPE, naming namespace and type', () => {
    const answer = dispatcher('store', { get: () => 1 });
    for (const type of ['delete', 'toString', 'constructor', '__proto__']) {
      let thrown: unknown;
      try {
        answer(type, undefined);
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(IpcUnknownTypeError);
      expect(thrown).toMatchObject({
        code: 'KF_IPC_UNKNOWN_TYPE',
        namespace: 'store',
        type,
        message: `IPC namespace "store" has no handler for type "${type}"`,
      });
    }
  });

  it('keeps a catch-all function as it is: it gets every type (to forward them, say)', () => {
    const forward = (type: string, payload: unknown) => [type, payload];
    expect(dispatcher('relay', forward)).toBe(forward);
  });
});

describe('handlerOf', () => {
  it("finds only a map's own functions", () => {
    const map = { ready: () => 1, count: 3 } as unknown as Record<string, () => number>;
    expect(handlerOf(map, 'ready')?.()).toBe(1);
    expect(handlerOf(map, 'count')).toBeUndefined();
    expect(handlerOf(map, 'hasOwnProperty')).toBeUndefined();
  });
});
