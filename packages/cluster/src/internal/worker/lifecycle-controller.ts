import type { Lifecycle, LifecycleState } from '@koa-fleet/contracts';

/** The writable side of a worker's Lifecycle; the app only sees the read-only interface. */
export class LifecycleController implements Lifecycle {
  #state: LifecycleState = 'starting';
  readonly #listeners = new Set<(state: LifecycleState) => void>();

  get state(): LifecycleState {
    return this.#state;
  }

  onChange(listener: (state: LifecycleState) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  set(state: LifecycleState): void {
    if (state === this.#state) return;
    this.#state = state;
    for (const listener of [...this.#listeners]) listener(state);
  }
}
