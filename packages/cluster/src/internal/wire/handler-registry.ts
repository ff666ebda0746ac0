/** Handlers or listeners keyed by IPC namespace; each registration returns its own undo. */
export class NamespaceRegistry<F> {
  readonly #entries = new Map<string, F[]>();

  add(namespace: string, fn: F): () => void {
    const list = this.#entries.get(namespace) ?? [];
    list.push(fn);
    this.#entries.set(namespace, list);
    return () => {
      const current = this.#entries.get(namespace);
      if (!current) return;
      const index = current.indexOf(fn);
      if (index >= 0) current.splice(index, 1);
      if (current.length === 0) this.#entries.delete(namespace);
    };
  }

  /** The most recent registration wins for request handlers. */
  latest(namespace: string): F | undefined {
    const list = this.#entries.get(namespace);
    return list?.[list.length - 1];
  }

  all(namespace: string): readonly F[] {
    return this.#entries.get(namespace) ?? [];
  }
}
