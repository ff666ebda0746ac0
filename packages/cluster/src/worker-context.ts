import type { Server } from 'node:http';
import type { Logger } from 'pino';
import type { WorkerIpc } from '@koa-fleet/contracts';
import type { Lifecycle } from '@koa-fleet/contracts';

/** What an entry's factory receives in each worker. */
export interface WorkerContext {
  /** Slot id, 0-based, stable across restarts of that slot. */
  id: number;
  /** The port this worker listens on (the shared port, or port + id). */
  port: number;
  /** Increases on every rolling reload. */
  generation: number;
  /** pino, bound to { workerId, pid }. */
  logger: Logger;
  ipc: WorkerIpc;
  lifecycle: Lifecycle;
  /** Reserved for a prom-client Registry (seam 5); undefined until the fleet is given one. */
  metrics?: unknown;
  /**
   * Calls `listener` with the worker's server once it exists, before it listens: the fleet owns
   * listen(), so this is where an app adds what is not a request — an `upgrade` listener for
   * WebSockets, a different `requestTimeout`. With `https`, the server is an https.Server.
   */
  onServer(listener: (server: Server) => void): void;
}
