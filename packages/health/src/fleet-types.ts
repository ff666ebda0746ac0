/**
 * The structural shapes this package needs from a process supervisor (see the "seams" in
 * docs/architecture.md). They are declared here, not imported, so the middleware works with
 * @koa-fleet/cluster or any other object of the same shape — and with none at all.
 */

export type LifecycleState = 'starting' | 'ready' | 'draining';

/** Seam 2: the worker's lifecycle, owned by the supervisor. */
export interface Lifecycle {
  readonly state: LifecycleState;
  onChange(listener: (state: LifecycleState) => void): () => void;
}

/** Seam 4, worker side: only the members this package calls. */
export interface WorkerIpc {
  request<T = unknown>(
    namespace: string,
    type: string,
    payload?: unknown,
    options?: { timeout?: number },
  ): Promise<T>;
  handle(
    namespace: string,
    handler: (type: string, payload: unknown) => unknown | Promise<unknown>,
  ): () => void;
}

export type GatherResult<T> =
  | { workerId: number; pid: number; ok: true; value: T }
  | { workerId: number; pid: number; ok: false; error: string };

/** Seam 4, primary side. */
export interface PrimaryIpc {
  handle(
    namespace: string,
    handler: (
      type: string,
      payload: unknown,
      from: { workerId: number; pid: number },
    ) => unknown | Promise<unknown>,
  ): () => void;
  gather<T = unknown>(
    namespace: string,
    type: string,
    payload?: unknown,
    options?: { timeout?: number },
  ): Promise<Array<GatherResult<T>>>;
}

/**
 * Seam 6, reduced to the fields this package reads, so a supervisor whose stats carry more (or
 * more states) still fits.
 */
export interface WorkerStats {
  workerId: number;
  pid: number;
  /** 'starting' | 'ready' | 'draining' | 'stopped' | 'crashed' in @koa-fleet/cluster. */
  state: string;
  generation: number;
  restarts: number;
}

export interface FleetStats {
  workers: WorkerStats[];
  desired: number;
  /** Restarts since the fleet started. */
  restarts: number;
}

/** What a fleet plugin's `setup` receives; only the members this package uses. */
export interface PrimaryContext {
  ipc: PrimaryIpc;
  stats(): FleetStats | Promise<FleetStats>;
}

/** A primary-side feature, passed as `startFleet({ plugins: [...] })`. */
export interface FleetPlugin {
  name: string;
  setup(primary: PrimaryContext): void | (() => void) | Promise<void | (() => void)>;
}
