import type { Lifecycle, LifecycleState } from './fleet-types.js';

/**
 * The readiness state the probes report: the supervisor's lifecycle when there is one, otherwise
 * this process's own. A local drain (shutdown signal) wins over both and is final.
 */
export class ProbeState {
  private own: LifecycleState;
  private draining = false;

  constructor(
    private readonly lifecycle: Lifecycle | undefined,
    startReady: boolean,
  ) {
    this.own = startReady ? 'ready' : 'starting';
  }

  get state(): LifecycleState {
    if (this.draining) return 'draining';
    return this.lifecycle ? this.lifecycle.state : this.own;
  }

  /** Standalone apps that start with `startReady: false` call this once warmed up. */
  markReady(): void {
    if (!this.draining) this.own = 'ready';
  }

  /** Readiness turns 503 from now on; the process keeps serving. */
  drain(): void {
    this.draining = true;
  }
}
