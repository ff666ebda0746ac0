import type { FleetLogger } from '@koa-fleet/contracts';
import type { Balancer } from '../balancer.js';
import { SNAPSHOTS } from '../internal/snapshots.js';
import { applyChange, type BackendChange } from './backend-change.js';
import {
  BALANCER_NAMESPACE,
  type BalancerWorkerIpc,
  type WorkerStateChange,
} from './fleet-types.js';

/**
 * One balancer process of a `--workers` fleet whose primary has the admin listener: it answers
 * the primary's requests (its stats, a change to apply, its metrics) and tells it every backend
 * state change; before that, it applies every change the fleet has had since it started, so a
 * restarted or reloaded worker balances over the same backends as the others.
 */
export async function joinFleetAdmin(
  ipc: BalancerWorkerIpc,
  balancer: Balancer,
  logger: FleetLogger,
): Promise<void> {
  let caughtUp!: () => void;
  const ready = new Promise<void>((resolve) => (caughtUp = resolve));
  // Before asking for the changes: one made meanwhile reaches this process too (applied twice,
  // which changes nothing), never neither way.
  ipc.handle(BALANCER_NAMESPACE, {
    snapshots: async () => {
      await ready;
      return balancer[SNAPSHOTS]();
    },
    apply: async (change) => {
      await ready;
      return (await applyChange(balancer, change as BackendChange)) ?? null;
    },
    metrics: () => balancer.registry.getMetricsAsJSON(),
  });
  balancer.on('backend-state', ({ backend, state, previous }) => {
    const change: WorkerStateChange = {
      backend: backend.url,
      state,
      previous,
      at: new Date().toISOString(),
    };
    ipc.request(BALANCER_NAMESPACE, 'state', change).catch(() => {
      // The primary is stopping: nobody is listening to events any more.
    });
  });
  try {
    const changes = await ipc.request<BackendChange[]>(BALANCER_NAMESPACE, 'changes');
    for (const change of changes) await applyChange(balancer, change);
  } catch (error) {
    const { code, message } = error as { code?: string; message?: string };
    logger.warn({ code }, `balancing over the configured backends only: ${message ?? error}`);
  } finally {
    caughtUp();
  }
}
