import { checkMethods, InvalidOptionError } from '@koa-fleet/errors';
import type { Lifecycle, LifecycleState } from '@koa-fleet/contracts';

/**
 * The readiness state the probes report: the supervisor's lifecycle when there is one, otherwise
 * this process's own. A local drain (shutdown signal) wins over both and is final.
 */
export class ProbeState {
  readonly #lifecycle: Lifecycle | undefined;
  #own: LifecycleState;
  #draining = false;

  constructor(lifecycle: Lifecycle | undefined, startReady: boolean) {
    this.#lifecycle = lifecycle;
    this.#own = startReady ? 'ready' : 'starting';
  }

  get state(): LifecycleState {
    if (this.#draining) return 'draining';
    return this.#lifecycle ? this.#lifecycle.state : this.#own;
  }

  /** Standalone apps that start with `startReady: false` call this once warmed up. */
  markReady(): void {
    if (!this.#draining) this.#own = 'ready';
  }

  /** Readiness turns 503 from now on; the process keeps serving. */
  drain(): void {
    this.#draining = true;
  }
}

const LIFECYCLE = 'a lifecycle with `state`';

/**
 * The supervisor's lifecycle, taken by its shape (seam 2). `state` is a property (a getter in
 * @koa-fleet/cluster), which checkMethods does not look at.
 */
export function checkLifecycle(option: string, value: unknown): Lifecycle {
  const lifecycle = checkMethods<Lifecycle>(option, value, ['onChange'], LIFECYCLE);
  if (typeof lifecycle.state !== 'string') {
    throw new InvalidOptionError(option, `${LIFECYCLE} (an object with onChange())`, value);
  }
  return lifecycle;
}
