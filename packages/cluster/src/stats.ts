import type { LifecycleState } from './lifecycle.js';

/** One worker as the primary last heard of it (the numbers come with each heartbeat). */
export interface WorkerStats {
  workerId: number;
  pid: number;
  state: LifecycleState | 'stopped' | 'crashed';
  generation: number;
  startedAt: number;
  uptimeMs: number;
  /** Restarts of this worker's slot (crashes, hangs and memory replacements; not reloads). */
  restarts: number;
  requests: number;
  inFlight: number;
  rssBytes: number;
  eventLoopLagMs: number;
  port: number;
}

export type FleetStatus = 'starting' | 'ready' | 'degraded' | 'reloading' | 'stopping' | 'stopped';

/** The whole fleet; the primary also answers `request('kf:stats', 'get')` with it. */
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
