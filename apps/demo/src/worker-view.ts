import type { WorkerContext } from '@koa-fleet/cluster';
import type { DemoSessionStore } from './sessions.js';
import { HOST_NAME_VARIABLE } from './worker-environment.js';

/** Which process answered: what `/` and every route's answer show. */
export interface WorkerView {
  pid: number;
  /** The cluster's slot id (0-based); the balancer weighs each slot's port. */
  slot: number;
  /** Increases on every rolling reload (`kill -HUP <primary pid>`). */
  generation: number;
  port: number;
  /** With `--hosts`: the host (fleet) of this worker, `host-1`, `host-2`, … */
  host?: string;
}

export function workerView(worker: WorkerContext): WorkerView {
  const host = process.env[HOST_NAME_VARIABLE] || undefined;
  return {
    pid: process.pid,
    slot: worker.id,
    generation: worker.generation,
    port: worker.port,
    ...(host && { host }),
  };
}

export type SessionKind = DemoSessionStore['kind'];
