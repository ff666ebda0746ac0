import type { FleetStats, PrimaryIpc, WorkerIpc, WorkerStats } from '@koa-fleet/contracts';

/**
 * The parts of the seams (docs/architecture.md, `@koa-fleet/contracts`) this package uses, under
 * names of its own: a supervisor, or a test double, needs to offer no more than these.
 * `@koa-fleet/cluster` hands over the whole of each.
 */

/** The members of a worker's IPC the middleware calls. */
export type HealthWorkerIpc = Pick<WorkerIpc, 'request' | 'handle'>;

/** The members of the primary's IPC the fleet plugin calls. */
export type HealthPrimaryIpc = Pick<PrimaryIpc, 'handle' | 'gather'>;

/** The fields of a worker's stats the fleet view shows. */
export type HealthWorkerStats = Pick<
  WorkerStats,
  'workerId' | 'pid' | 'state' | 'generation' | 'restarts'
>;

/** The fields of the fleet's stats the fleet view and the primary's metrics read. */
export interface HealthFleetStats extends Pick<FleetStats, 'desired' | 'restarts'> {
  workers: HealthWorkerStats[];
}

/** What the fleet plugin's `setup` needs of `PrimaryContext`. */
export interface HealthPrimaryContext {
  ipc: HealthPrimaryIpc;
  stats(): HealthFleetStats | Promise<HealthFleetStats>;
}
