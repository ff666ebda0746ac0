import { EventEmitter } from 'node:events';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { IpcRemoteError, IpcUnknownTypeError } from '../../errors.js';
import { RpcEndpoint } from '../wire/rpc-endpoint.js';
import type { ParentPort } from '../worker/worker-channel.js';
import { WorkerChannel } from '../worker/worker-channel.js';
import { PrimaryIpcHub } from './ipc-hub.js';

const silent = pino({ level: 'silent' });

/**
 * A primary's hub and one worker's channel in one process: the worker's `process` is an
 * EventEmitter, and the primary's end of the channel is an RpcEndpoint as WorkerProcess makes it.
 */
function connect() {
  const peers: Array<{
    workerId: number;
    pid: number;
    request: RpcEndpoint['request'];
    cast: RpcEndpoint['cast'];
  }> = [];
  const hub = new PrimaryIpcHub(() => peers);
  const from = { workerId: 1, pid: 4242 };
  const parent = Object.assign(new EventEmitter(), {
    connected: true,
    send(message: unknown, callback?: (error: Error | null) => void) {
      setImmediate(() => primaryEnd.receive(structuredClone(message)));
      callback?.(null);
      return true;
    },
  }) satisfies ParentPort;
  const primaryEnd: RpcEndpoint = new RpcEndpoint({
    send: (message) => setImmediate(() => parent.emit('message', structuredClone(message))),
    handlerFor: (namespace) => hub.handlerFor(namespace, from),
    onCast: () => {},
    onMalformed: () => {},
    defaultTimeout: 1000,
  });
  peers.push({
    ...from,
    request: (...args) => primaryEnd.request(...args),
    cast: (...args) => primaryEnd.cast(...args),
  });
  const worker = new WorkerChannel(silent, 1000, parent);
  return { hub, worker, from };
}

describe('handler maps on both ends of the IPC channel', () => {
  it("answer a worker's request in the primary by type, with the sender", async () => {
    const { hub, worker, from } = connect();
    hub.handle('visits', { incr: (payload, sender) => ({ payload, sender }) });
    await expect(worker.request('visits', 'incr', { path: '/' })).resolves.toEqual({
      payload: { path: '/' },
      sender: from,
    });
  });

  it('reject a request of a type the primary does not list with KF_IPC_UNKNOWN_TYPE', async () => {
    const { hub, worker } = connect();
    hub.handle('visits', { incr: () => 1 });
    const error = await worker.request('visits', 'reset').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(IpcUnknownTypeError);
    expect(error).toMatchObject({
      code: 'KF_IPC_UNKNOWN_TYPE',
      message: 'IPC namespace "visits" has no handler for type "reset"',
    });
  });

  it("answer the primary's gather in each worker by type, and report an unknown type with its code", async () => {
    const { hub, worker, from } = connect();
    worker.handle('health', { report: () => ({ ok: true }) });
    await expect(hub.gather('health', 'report')).resolves.toEqual([
      { ...from, ok: true, value: { ok: true } },
    ]);
    await expect(hub.gather('health', 'metrics')).resolves.toEqual([
      {
        ...from,
        ok: false,
        code: 'KF_IPC_UNKNOWN_TYPE',
        error: 'IPC namespace "health" has no handler for type "metrics"',
      },
    ]);
  });

  it("keep catch-all handlers, and a handler's own error is still KF_IPC_REMOTE", async () => {
    const { hub, worker } = connect();
    hub.handle('relay', (type, payload) => ({ type, payload }));
    await expect(worker.request('relay', 'anything', 1)).resolves.toEqual({
      type: 'anything',
      payload: 1,
    });
    worker.handle('whoami', (type) => {
      throw new Error(`no ${type}`);
    });
    await expect(hub.gather('whoami', 'x')).resolves.toMatchObject([
      { ok: false, error: 'no x', code: 'KF_IPC_REMOTE' },
    ]);
    hub.handle('store', {
      get: () => {
        throw Object.assign(new Error('disk full'), { code: 'ENOSPC' });
      },
    });
    const error = await worker.request('store', 'get').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(IpcRemoteError);
    expect(error).toMatchObject({ code: 'KF_IPC_REMOTE', remoteCode: 'ENOSPC' });
  });

  it('stop answering once unregistered', async () => {
    const { hub, worker } = connect();
    const stop = hub.handle('visits', { incr: () => 1 });
    stop();
    await expect(worker.request('visits', 'incr')).rejects.toMatchObject({
      code: 'KF_IPC_NO_HANDLER',
    });
  });
});
