import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { UnknownRequestError } from '../errors.js';
import type { HealthPrimaryContext, HealthWorkerIpc } from '../fleet-types.js';
import { answerPrimary } from './answer-primary.js';
import { healthFleetPlugin } from './plugin.js';

type Handler = (type: string, payload: unknown) => unknown;

/** Records the handlers a side registers, so a test can ask them what a peer would. */
function handlers(): {
  handle: (namespace: string, handler: Handler) => () => void;
  of: Map<string, Handler>;
} {
  const of = new Map<string, Handler>();
  return {
    of,
    handle: (namespace, handler) => {
      of.set(namespace, handler);
      return () => of.delete(namespace);
    },
  };
}

const unknown = (namespace: string, type: string) =>
  expect.objectContaining({
    code: 'KF_HEALTH_UNKNOWN_REQUEST',
    message: `unknown ${namespace} request "${type}"`,
    namespace,
    type,
  });

describe('a request of a type this copy does not know', () => {
  it('is refused by the worker with UnknownRequestError', async () => {
    const worker = handlers();
    const ipc = { request: async () => undefined, handle: worker.handle } as HealthWorkerIpc;
    answerPrimary(ipc, async () => ({}) as never, new Registry());
    for (const namespace of ['kf:health', 'kf:metrics']) {
      const answer = (async () => worker.of.get(namespace)!('v2-only', undefined))();
      await expect(answer).rejects.toBeInstanceOf(UnknownRequestError);
      await expect(answer).rejects.toEqual(unknown(namespace, 'v2-only'));
    }
  });

  it('is refused by the primary with UnknownRequestError', async () => {
    const primary = handlers();
    const context = {
      ipc: { handle: primary.handle, gather: async () => [] },
      stats: () => ({ workers: [], desired: 0, restarts: 0 }),
    } as unknown as HealthPrimaryContext;
    const stop = await healthFleetPlugin().setup(context);
    for (const namespace of ['kf:health', 'kf:metrics']) {
      expect(() => primary.of.get(namespace)!('v2-only', undefined)).toThrowError(
        unknown(namespace, 'v2-only'),
      );
    }
    if (typeof stop === 'function') stop();
  });
});
