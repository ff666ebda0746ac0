import { describe, expect, it } from 'vitest';
import {
  IpcClosedError,
  IpcNoHandlerError,
  IpcRemoteError,
  IpcTimeoutError,
  IpcUnknownTypeError,
} from '../../errors.js';
import { dispatcher } from './handler-map.js';
import type { Message } from './protocol.js';
import type { Answer } from './rpc-endpoint.js';
import { RpcEndpoint } from './rpc-endpoint.js';

/** Two endpoints joined back to back, as the primary and a worker are over the IPC channel. */
function pair(handlers: Record<string, Answer> = {}, timeout = 1000) {
  const casts: Array<[string, string, unknown]> = [];
  const malformed: string[] = [];
  let deliver = true;
  const make = (peer: () => RpcEndpoint) =>
    new RpcEndpoint({
      send: (message: Message) => {
        // Asynchronous like a real channel; messages may be dropped to simulate a dead peer.
        if (deliver) setImmediate(() => peer().receive(structuredClone(message)));
      },
      handlerFor: (namespace) => handlers[namespace],
      onCast: (namespace, type, payload) => casts.push([namespace, type, payload]),
      onMalformed: (reason) => malformed.push(reason),
      defaultTimeout: timeout,
    });
  const a: RpcEndpoint = make(() => b);
  const b: RpcEndpoint = make(() => a);
  return { a, b, casts, malformed, drop: () => (deliver = false) };
}

describe('RpcEndpoint', () => {
  it("answers a request with the handler's (async) value", async () => {
    const { a } = pair({
      math: async (type, payload) => (type === 'double' ? (payload as number) * 2 : null),
    });
    await expect(a.request('math', 'double', 21)).resolves.toBe(42);
  });

  it('rejects with KF_IPC_NO_HANDLER when nobody handles the namespace', async () => {
    const { a } = pair();
    await expect(a.request('session', 'get')).rejects.toBeInstanceOf(IpcNoHandlerError);
  });

  it("carries the handler's error message and code back", async () => {
    const { a } = pair({
      store: () => {
        throw Object.assign(new Error('disk full'), { code: 'ENOSPC' });
      },
    });
    const error = await a.request('store', 'set').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(IpcRemoteError);
    expect(error).toMatchObject({
      message: 'disk full',
      remoteCode: 'ENOSPC',
      code: 'KF_IPC_REMOTE',
    });
  });

  it("rejects with KF_IPC_UNKNOWN_TYPE when the namespace's map does not list the type", async () => {
    const { a } = pair({
      math: dispatcher('math', { double: (payload: unknown) => (payload as number) * 2 }),
    });
    await expect(a.request('math', 'double', 2)).resolves.toBe(4);
    const error = await a.request('math', 'halve', 2).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(IpcUnknownTypeError);
    expect(error).toMatchObject({ code: 'KF_IPC_UNKNOWN_TYPE', namespace: 'math', type: 'halve' });
  });

  it('rejects with KF_IPC_TIMEOUT when no reply comes', async () => {
    const { a, drop } = pair({ slow: () => 1 }, 50);
    drop();
    await expect(a.request('slow', 'x')).rejects.toBeInstanceOf(IpcTimeoutError);
  });

  it('rejects pending requests with KF_IPC_CLOSED when the channel closes', async () => {
    const { a, drop } = pair({ x: () => 1 }, 60_000);
    drop();
    const pending = a.request('x', 'y');
    a.close();
    await expect(pending).rejects.toBeInstanceOf(IpcClosedError);
  });

  it('delivers casts, ignores foreign messages and reports malformed ones without throwing', () => {
    const { b, casts, malformed } = pair();
    expect(
      b.receive({ kf: 1, kind: 'cast', id: 0, namespace: 'news', type: 'hello', payload: 1 }),
    ).toBe(true);
    expect(b.receive({ cmd: 'NODE_SOMETHING' })).toBe(false);
    expect(b.receive({ kf: 1, kind: 'req', id: 'x' })).toBe(true);
    expect(casts).toEqual([['news', 'hello', 1]]);
    expect(malformed).toEqual(['field "id" is invalid: "x"']);
  });
});
