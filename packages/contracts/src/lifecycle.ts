/** Where a worker is in its life; `@koa-fleet/health` turns `draining` into a 503 on /readyz. */
export type LifecycleState = 'starting' | 'ready' | 'draining';

/** Read-only view of a worker's state, handed to the app by its supervisor (seam 2). */
export interface Lifecycle {
  readonly state: LifecycleState;
  /** Calls `listener` on every change; returns the unsubscribe function. */
  onChange(listener: (state: LifecycleState) => void): () => void;
}
