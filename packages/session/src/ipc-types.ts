import { FLEET_NAMESPACES } from '@koa-fleet/contracts';
import type { FleetPlugin, PrimaryIpc, WorkerIpc } from '@koa-fleet/contracts';

/**
 * The parts of the IPC seam (`@koa-fleet/contracts`, docs/architecture.md §4) the embedded store
 * uses, under names of its own: any object of these shapes works, @koa-fleet/cluster's included.
 */

/** A worker's side, `WorkerContext.ipc`: the store only asks. */
export type SessionWorkerIpc = Pick<WorkerIpc, 'request'>;

/** The primary's side, `PrimaryContext.ipc`: the plugin only answers. */
export type SessionPrimaryIpc = Pick<PrimaryIpc, 'handle'>;

/** What the plugin's `setup` needs of `PrimaryContext`. */
export interface SessionPrimaryContext {
  ipc: SessionPrimaryIpc;
}

/** A fleet plugin: pass it to `startFleet({ plugins: [...] })`. */
export interface SessionFleetPlugin extends FleetPlugin {
  readonly name: string;
  /** Registers the IPC handler; returns its cleanup, which the fleet runs after stopping. */
  setup(primary: SessionPrimaryContext): () => void;
}

export const DEFAULT_SESSION_NAMESPACE = FLEET_NAMESPACES.session;
