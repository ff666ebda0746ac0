import type { WorkerContext } from '@koa-fleet/cluster';
import type { DemoSessionStore } from './sessions.js';

/** Which process answered: what `/` and every route's answer show. */
export interface WorkerView {
  pid: number;
  /** The cluster's slot id (0-based); the balancer weighs each slot's port. */
  slot: number;
  /** Increases on every rolling reload (`kill -HUP <primary pid>`). */
  generation: number;
  port: number;
}

export function workerView(worker: WorkerContext): WorkerView {
  return { pid: process.pid, slot: worker.id, generation: worker.generation, port: worker.port };
}

export type SessionKind = DemoSessionStore['kind'];
