/** Requests counted per process that answered: what `demo:load` reports. */
export interface WorkerCount {
  pid: number;
  slot: number;
  port: number;
  requests: number;
}

/**
 * Counts the answers of `GET /` by the `pid` in their body. An answer that is not the demo's
 * JSON (a 503 from the balancer, say) counts as `other`, so the table never hides one.
 */
export class LoadTally {
  readonly #workers = new Map<number, WorkerCount>();
  #other = 0;

  record(status: number, body: string): void {
    const served = status === 200 ? identityOf(body) : undefined;
    if (!served) {
      this.#other++;
      return;
    }
    const count = this.#workers.get(served.pid);
    if (count) count.requests++;
    else this.#workers.set(served.pid, { ...served, requests: 1 });
  }

  /** Per process, by slot then pid (a slot's replacement after a crash is a row of its own). */
  workers(): WorkerCount[] {
    return [...this.#workers.values()].sort((a, b) => a.slot - b.slot || a.pid - b.pid);
  }

  get other(): number {
    return this.#other;
  }
}

function identityOf(body: string): Omit<WorkerCount, 'requests'> | undefined {
  try {
    const { pid, slot, port } = JSON.parse(body) as Record<string, unknown>;
    if (typeof pid === 'number' && typeof slot === 'number' && typeof port === 'number') {
      return { pid, slot, port };
    }
  } catch {
    // not the demo's JSON: counted as other
  }
  return undefined;
}
