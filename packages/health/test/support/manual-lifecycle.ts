import type { Lifecycle, LifecycleState } from '@koa-fleet/contracts';

/** A supervisor's Lifecycle (seam 2) whose state the test moves by hand. */
export class ManualLifecycle implements Lifecycle {
  state: LifecycleState;
  readonly #listeners = new Set<(state: LifecycleState) => void>();

  constructor(state: LifecycleState = 'starting') {
    this.state = state;
  }

  set(state: LifecycleState): void {
    this.state = state;
    for (const listener of this.#listeners) listener(state);
  }

  onChange(listener: (state: LifecycleState) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }
}
