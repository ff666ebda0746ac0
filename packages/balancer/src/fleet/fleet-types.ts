import { FLEET_NAMESPACES, type PrimaryIpc, type WorkerIpc } from '@koa-fleet/contracts';
import type { BackendState } from '../health/passive-health.js';
import type { BalancerConfig } from '../options.js';
import type { BackendChange } from './backend-change.js';

/**
 * The parts of the seams (`@koa-fleet/contracts`) the balancer's `--workers` code uses, under
 * names of its own: a supervisor, or a test double, needs to offer no more than these.
 */

/** What a balancer process calls on its IPC. */
export type BalancerWorkerIpc = Pick<WorkerIpc, 'request' | 'handle' | 'on'>;

/** What the primary (its config, shared health, admin listener) calls on the fleet's IPC. */
export type BalancerPrimaryIpc = Pick<PrimaryIpc, 'handle' | 'gather' | 'broadcast'>;

/** The namespace the primary and the balancer processes talk in. */
export const BALANCER_NAMESPACE = FLEET_NAMESPACES.balancer;

/** A backend state change a balancer process tells the primary about (for the event stream). */
export interface WorkerStateChange {
  backend: string;
  state: BackendState;
  previous: BackendState;
  at: string;
}

/** What a balancer process starts from: the fleet's config now, and the admin's changes on top. */
export interface FleetStart {
  /** The config as the primary read it last (at start, or at its last reload); JSON. */
  config: BalancerConfig;
  changes: BackendChange[];
}

/**
 * A balancer process took a backend out for its failures (its passive health, or its active
 * checks' `fall`): the primary tells every process (`down`, broadcast), so each takes it out too.
 */
export interface BackendDown {
  backend: string;
}
