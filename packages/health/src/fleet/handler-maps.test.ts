import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import type { HealthPrimaryContext, HealthWorkerIpc } from '../fleet-types.js';
import { answerPrimary } from './answer-primary.js';
import { healthFleetPlugin } from './plugin.js';

type HandlerMap = Record<string, (payload: unknown) => unknown>;

/** Records the handler maps a side registers, so a test can see which types it answers. */
function recorder(): {
  handle: (namespace: string, handlers: HandlerMap) => () => void;
  of: Map<string, HandlerMap>;
} {
  const of = new Map<string, HandlerMap>();
  return {
    of,
    handle: (namespace, handlers) => {
      expect(typeof handlers).toBe('object'); // a map, never a catch-all function
      of.set(namespace, handlers);
      return () => of.delete(namespace);
    },
  };
}

// Each side lists the types it answers; any other type (a peer of another version) is answered
// by the supervisor itself with KF_IPC_UNKNOWN_TYPE, as the IPC contract says.
describe('the fleet IPC handlers are maps of the types this copy answers', () => {
  it('the worker answers report and collect', async () => {
    const worker = recorder();
    const ipc = {
      request: async () => undefined,
      handle: worker.handle,
    } as unknown as HealthWorkerIpc;
    const report = async () => ({
      state: 'ready',
      ready: true,
      status: 'warn',
      checks: [{ name: 'redis', status: 'warn', output: 'slow' }],
    });
    answerPrimary(ipc, report as never, new Registry());
    expect(Object.keys(worker.of.get('kf:health')!)).toEqual(['report']);
    expect(Object.keys(worker.of.get('kf:metrics')!)).toEqual(['collect']);
    await expect(worker.of.get('kf:health')!.report!(undefined)).resolves.toEqual({
      state: 'ready',
      ready: true,
      status: 'warn',
      problems: ['redis: slow'],
    });
  });

  it('the primary answers fleet and scrape, and unregisters both on cleanup', async () => {
    const primary = recorder();
    const context = {
      ipc: { handle: primary.handle, gather: async () => [] },
      stats: () => ({ workers: [], desired: 0, restarts: 0 }),
    } as unknown as HealthPrimaryContext;
    const stop = healthFleetPlugin().setup(context);
    expect(Object.keys(primary.of.get('kf:health')!)).toEqual(['fleet']);
    expect(Object.keys(primary.of.get('kf:metrics')!)).toEqual(['scrape']);
    stop();
    expect(primary.of.size).toBe(0);
  });
});
