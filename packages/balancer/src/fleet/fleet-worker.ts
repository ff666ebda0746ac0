import type { FleetLogger } from '@koa-fleet/contracts';
import { createBalancer, type Balancer } from '../balancer.js';
import { FAILED_ELSEWHERE } from '../internal/shared-health.js';
import { SNAPSHOTS } from '../internal/snapshots.js';
import type { BalancerConfig } from '../options.js';
import { applyChange, type BackendChange } from './backend-change.js';
import {
  BALANCER_NAMESPACE,
  type BackendDown,
  type BalancerWorkerIpc,
  type FleetStart,
  type WorkerStateChange,
} from './fleet-types.js';

/**
 * One balancer process of a `--workers` fleet. It starts from the fleet's config as the primary
 * holds it (the file as last reloaded, not as this process read it) with every admin change
 * since applied on top, so a restarted or replaced worker balances over the same backends as the
 * others. Then it answers the primary's requests (its stats, a change or a config to apply, its
 * metrics), tells it every backend state change, and shares its down verdicts: a backend it takes
 * out for its failures is taken out by every process, each bringing it back on its own (after
 * `failTimeout`, or its own checks' `rise`). `own` is the config this process read itself (if it
 * could), used when the primary does not answer. Resolves with the balancer and the config it started from.
 */
export async function joinFleet(
  ipc: BalancerWorkerIpc,
  own: BalancerConfig | undefined,
  logger: FleetLogger,
): Promise<{ balancer: Balancer; config: BalancerConfig }> {
  let balancer!: Balancer;
  let caughtUp!: () => void;
  const ready = new Promise<void>((resolve) => (caughtUp = resolve));
  // Before asking for the config: a change or reload made meanwhile reaches this process too
  // (applied twice, which changes nothing), never neither way.
  ipc.handle(BALANCER_NAMESPACE, {
    snapshots: async () => {
      await ready;
      return balancer[SNAPSHOTS]();
    },
    apply: async (change) => {
      await ready;
      return (await applyChange(balancer, change as BackendChange)) ?? null;
    },
    reload: async (config) => {
      await ready;
      return balancer.reload(withOwnLogger(config as BalancerConfig, own));
    },
    metrics: async () => {
      await ready;
      return balancer.registry.getMetricsAsJSON();
    },
  });
  let start: FleetStart | undefined;
  try {
    start = await ipc.request<FleetStart>(BALANCER_NAMESPACE, 'start');
  } catch (error) {
    if (!own) throw error;
    const { code, message } = error as { code?: string; message?: string };
    logger.warn({ code }, `balancing over the config this process read: ${message ?? error}`);
  }
  const config = start ? withOwnLogger(start.config, own) : own!;
  try {
    balancer = createBalancer(config);
    for (const change of start?.changes ?? []) await applyChange(balancer, change);
  } finally {
    caughtUp();
  }
  shareHealth(ipc, balancer);
  return { balancer, config };
}

/** State changes go to the primary (the admin's event stream); down verdicts to every process. */
function shareHealth(ipc: BalancerWorkerIpc, balancer: Balancer): void {
  /** The backend being taken out on another process's word: not to be told back. */
  let echo: string | undefined;
  const tell = (type: string, payload: unknown) =>
    ipc.request(BALANCER_NAMESPACE, type, payload).catch(() => {
      // The primary is stopping: nobody is listening any more.
    });
  balancer.on('backend-state', ({ backend, state, previous }) => {
    const change: WorkerStateChange = {
      backend: backend.url,
      state,
      previous,
      at: new Date().toISOString(),
    };
    void tell('state', change);
    if (state === 'down' && backend.url !== echo) {
      void tell('down', { backend: backend.url } satisfies BackendDown);
    }
  });
  ipc.on(BALANCER_NAMESPACE, (type, payload) => {
    if (type !== 'down') return;
    echo = (payload as BackendDown).backend;
    try {
      balancer[FAILED_ELSEWHERE](echo); // its state change, if any, is emitted right here
    } finally {
      echo = undefined;
    }
  });
}

/**
 * The config as it came over IPC (JSON) with this process's own `logger`: a logger object of a
 * module config does not survive the trip.
 */
function withOwnLogger(config: BalancerConfig, own: BalancerConfig | undefined): BalancerConfig {
  const { logger: _lost, ...rest } = config;
  return own?.logger === undefined ? rest : { ...rest, logger: own.logger };
}
