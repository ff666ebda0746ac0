/**
 * The slices of @koa-fleet/cluster's IPC seam (docs/architecture.md §4) this package uses,
 * declared here so it never imports the cluster: any object of these shapes works.
 */

/** A worker's side: `WorkerContext.ipc`. */
export interface SessionWorkerIpc {
  request<T = unknown>(
    namespace: string,
    type: string,
    payload?: unknown,
    options?: { timeout?: number },
  ): Promise<T>;
}

/** The primary's side: `PrimaryContext.ipc`. */
export interface SessionPrimaryIpc {
  handle(
    namespace: string,
    handler: (type: string, payload: unknown, from: { workerId: number; pid: number }) => unknown,
  ): () => void;
}

/** What a fleet plugin's `setup` receives (`PrimaryContext`), as far as sessions need it. */
export interface SessionPrimaryContext {
  ipc: SessionPrimaryIpc;
}

/** A fleet plugin: pass it to `startFleet({ plugins: [...] })`. */
export interface SessionFleetPlugin {
  readonly name: string;
  /** Registers the IPC handler; returns its cleanup, which the fleet runs after stopping. */
  setup(primary: SessionPrimaryContext): () => void;
}

export const DEFAULT_SESSION_NAMESPACE = 'kf:session';
