import type { Lifecycle, LifecycleState } from '../../src/index.js';

/** A supervisor's Lifecycle (seam 2) whose state the test moves by hand. */
export class ManualLifecycle implements Lifecycle {
  private listeners = new Set<(state: LifecycleState) => void>();

  constructor(public state: LifecycleState = 'starting') {}

  set(state: LifecycleState): void {
    this.state = state;
    for (const listener of this.listeners) listener(state);
  }

  onChange(listener: (state: LifecycleState) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
