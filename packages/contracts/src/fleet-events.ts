import type { FleetStatus } from './stats.js';

export interface WorkerEvent {
  workerId: number;
  pid: number;
  generation: number;
}

export interface WorkerExitEvent extends WorkerEvent {
  code: number | null;
  signal: string | null;
  /** True when the fleet asked the worker to go (drain, stop, reload). */
  expected: boolean;
  reason: string;
}

/** Events of a fleet (the cluster's `Fleet` handle, and `PrimaryContext.on`). */
export interface FleetEvents {
  /** A worker process was forked (first start, restart, replacement); not listening yet. */
  'worker-starting': [WorkerEvent];
  'worker-ready': [WorkerEvent];
  'worker-draining': [WorkerEvent];
  'worker-exit': [WorkerExitEvent];
  'slot-given-up': [{ workerId: number; error: Error }];
  status: [FleetStatus];
  'reload-start': [];
  'reload-done': [{ ok: boolean; error?: Error }];
  /** Every slot gave up (or a plugin failed): the fleet stops with exit code 1. */
  failed: [Error];
}
