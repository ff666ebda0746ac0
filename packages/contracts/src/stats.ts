import type { LifecycleState } from './lifecycle.js';

/** A worker as its supervisor last heard of it (seam 6; the numbers come with each heartbeat). */
export interface WorkerStats {
  workerId: number;
  pid: number;
  state: WorkerState;
  generation: number;
  startedAt: number;
  uptimeMs: number;
  /** Restarts of this worker's slot (crashes, hangs, memory replacements, restart-worker; not reloads). */
  restarts: number;
  requests: number;
  inFlight: number;
  rssBytes: number;
  eventLoopLagMs: number;
  port: number;
}

/** A live worker's lifecycle state, or what became of the slot's last worker. */
export type WorkerState = LifecycleState | 'stopped' | 'crashed';

export type FleetStatus = 'starting' | 'ready' | 'degraded' | 'reloading' | 'stopping' | 'stopped';

/** The whole fleet; the primary also answers `request(FLEET_NAMESPACES.stats, 'get')` with it. */
export interface FleetStats {
  status: FleetStatus;
  workers: WorkerStats[];
  ready: number;
  desired: number;
  restarts: number;
  /** Since the fleet started, including workers that have exited. */
  requests: number;
  inFlight: number;
  startedAt: number;
}
