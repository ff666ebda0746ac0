import { FLEET_NAMESPACES, type PrimaryIpc, type WorkerIpc } from '@koa-fleet/contracts';
import type { BackendState } from '../health/passive-health.js';

/**
 * The parts of the seams (`@koa-fleet/contracts`) the balancer's `--workers` code uses, under
 * names of its own: a supervisor, or a test double, needs to offer no more than these.
 */

/** What a balancer process calls on its IPC. */
export type BalancerWorkerIpc = Pick<WorkerIpc, 'request' | 'handle'>;

/** What the admin listener in the primary calls on the fleet's IPC. */
export type BalancerPrimaryIpc = Pick<PrimaryIpc, 'handle' | 'gather'>;

/** The namespace the primary and the balancer processes talk in. */
export const BALANCER_NAMESPACE = FLEET_NAMESPACES.balancer;

/** A backend state change a balancer process tells the primary about (for the event stream). */
export interface WorkerStateChange {
  backend: string;
  state: BackendState;
  previous: BackendState;
  at: string;
}
