import type {
  AtomicCommand,
  AtomicOutcome,
  SessionBackend,
  StoredFields,
  WriteCommand,
  WriteOutcome,
} from './backend.js';
import { applyAtomic } from './atomic-apply.js';

interface Entry {
  fields: Map<string, string>;
  expiresAt: number;
}

export interface MemoryBackendOptions {
  /** Most sessions held; the least recently used one is evicted beyond it. */
  maxSessions: number;
  /** Clock, replaceable so expiry is testable without waiting. */
  now?: () => number;
}

/**
 * Sessions as field maps with TTL and an LRU cap. Every method runs synchronously inside one
 * call, so in one process (the fleet primary, or a lone server) each command is atomic exactly
 * like the Redis script. Used directly by `memoryStore()` and behind `embeddedSessionPlugin()`.
 */
export class MemoryBackend implements SessionBackend {
  readonly kind = 'memory';
  readonly #entries = new Map<string, Entry>();
  readonly #maxSessions: number;
  readonly #now: () => number;
  /** Walks the map from its least recently used end; see #evict. */
  #oldest: Iterator<string> | undefined;

  constructor(options: MemoryBackendOptions) {
    this.#maxSessions = options.maxSessions;
    this.#now = options.now ?? Date.now;
  }

  get size(): number {
    return this.#entries.size;
  }

  async read(id: string): Promise<StoredFields | null> {
    const entry = this.#live(id);
    return entry ? Object.fromEntries(entry.fields) : null;
  }

  async write(id: string, command: WriteCommand): Promise<WriteOutcome> {
    let entry = this.#live(id);
    if (!entry && command.mustExist) return { status: 'gone' };
    if (command.expect) {
      const fields = entry?.fields;
      const conflicts = command.expect
        .filter(([field, value]) => (fields?.get(field) ?? null) !== value)
        .map(([field]) => field);
      if (conflicts.length > 0) return { status: 'conflict', fields: conflicts };
    }
    entry ??= this.#insert(id);
    for (const field of command.del) entry.fields.delete(field);
    for (const [field, value] of Object.entries(command.set)) entry.fields.set(field, value);
    entry.expiresAt = this.#now() + command.ttlMs;
    return { status: 'ok' };
  }

  async destroy(id: string): Promise<void> {
    this.#entries.delete(id);
  }

  async atomic(id: string, command: AtomicCommand): Promise<AtomicOutcome> {
    let entry = this.#live(id);
    if (!entry && command.mustExist) return { status: 'gone' };
    const next = applyAtomic(entry?.fields.get(command.field), command);
    if (next === undefined) return { status: 'wrong-type' };
    if (!entry) {
      entry = this.#insert(id);
      entry.expiresAt = this.#now() + command.ttlMs;
    }
    entry.fields.set(command.field, next);
    return { status: 'ok', value: next };
  }

  async ping(): Promise<void> {}

  /** The entry if present and unexpired, refreshed as most recently used. */
  #live(id: string): Entry | undefined {
    const entry = this.#entries.get(id);
    if (!entry) return undefined;
    this.#entries.delete(id);
    if (entry.expiresAt <= this.#now()) return undefined;
    this.#entries.set(id, entry);
    return entry;
  }

  #insert(id: string): Entry {
    const entry: Entry = { fields: new Map(), expiresAt: 0 };
    this.#entries.set(id, entry);
    this.#evict();
    return entry;
  }

  // Maps iterate in insertion order and #live re-inserts on use, so the first key is the least
  // recently used. A fresh keys() walk from the front skipped every entry deleted there since the
  // map's last rehash — ~10 µs per insert at 10 000 sessions —, so one live iterator is kept: Map
  // iterators continue past deletions and see later insertions, so each time it is the oldest
  // entry it hands out. Expired entries need no sweep: they are dropped when read or when they
  // reach the front, so memory stays bounded by the cap either way.
  #evict(): void {
    while (this.#entries.size > this.#maxSessions) {
      let next = this.#oldest?.next();
      if (!next || next.done) {
        this.#oldest = this.#entries.keys();
        next = this.#oldest.next();
      }
      if (next.done) return;
      this.#entries.delete(next.value);
    }
  }
}
