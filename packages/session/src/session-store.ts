import type { AtomicKind, SessionBackend } from './internal/backend.js';
import { hasNoChanges } from './internal/diff.js';
import {
  currentSessionId,
  recordDestroyed,
  recordSaved,
  remember,
  snapshotOf,
} from './internal/koa-session-state.js';
import { fromKoaFields, toKoaFields } from './internal/session-meta.js';
import { canSkipUnchangedSave } from './internal/skip-save.js';
import { recordAtomic } from './internal/snapshot.js';
import { StoreCore } from './internal/store-core.js';
import type { ResolvedStoreOptions } from './store-options.js';

/** The per-call options koa-session passes; `ctx` is what ties a write to what its request read. */
export interface StoreCallOptions {
  ctx?: object;
  rolling?: boolean;
  changed?: boolean;
}

let coreOf: (store: SessionStore) => StoreCore;

/**
 * A koa-session external store (`get`/`set`/`destroy`) that stores each session field by field
 * and writes only what the request changed. Created by `redisStore()`, `memoryStore()` or
 * `embeddedStore()`; pass it as koa-session's `store`, or to the `session()` helper.
 */
export class SessionStore {
  readonly #core: StoreCore;

  static {
    // session() and its atomic helpers run on the core itself, with no `ctx` in between.
    coreOf = (store) => store.#core;
  }

  /** @internal use a factory: redisStore(), memoryStore() or embeddedStore(). */
  constructor(backend: SessionBackend, options: ResolvedStoreOptions) {
    this.#core = new StoreCore(backend, options);
  }

  /** `'redis'`, `'memory'` or `'embedded'`. */
  get kind(): string {
    return this.#core.kind;
  }

  async get(
    id: string,
    _maxAge?: unknown,
    { ctx }: StoreCallOptions = {},
  ): Promise<Record<string, unknown> | null> {
    const loaded = await this.#core.load(id);
    if (!loaded) return null;
    remember(ctx, id, loaded.snapshot);
    return Object.assign(loaded.data, toKoaFields(loaded.snapshot.meta));
  }

  async set(
    id: string,
    session: Record<string, unknown>,
    maxAge?: unknown,
    { ctx, changed, rolling }: StoreCallOptions = {},
  ): Promise<void> {
    const snapshot = snapshotOf(ctx, id);
    const meta = fromKoaFields(session);
    const changes = this.#core.changesSince(snapshot, session);
    if (
      changed &&
      !rolling &&
      hasNoChanges(changes) &&
      canSkipUnchangedSave(snapshot, meta.lifetime)
    ) {
      // koa-session saw changes, but atomic helpers already stored every one of them.
      return;
    }
    // `changed: false` (rolling, renew) yields no changed fields: only meta and TTL are written.
    const storeMs = typeof maxAge === 'number' ? maxAge : undefined;
    recordSaved(ctx, id, await this.#core.save(id, snapshot, changes, { meta, storeMs }));
  }

  async destroy(id: string, { ctx }: StoreCallOptions = {}): Promise<void> {
    await this.#core.destroy(id);
    recordDestroyed(ctx, id);
  }

  /** Resolves when the backend answers; throws SessionUnavailableError when it does not. */
  ping(): Promise<void> {
    return this.#core.ping();
  }

  /**
   * One atomic read-modify-write of one field of the session koa-session knows as `sessionId`
   * (see `incr`, `append`, `addToSet`). Returns the field's new value and records it as read,
   * so koa-session's own save does not write the field again.
   */
  async atomic(
    ctx: object,
    sessionId: string,
    kind: AtomicKind,
    field: string,
    value: unknown,
  ): Promise<unknown> {
    const id = currentSessionId(ctx, sessionId); // after regenerate(), the new id
    const { value: result, stored } = await this.#core.atomic(
      id,
      snapshotOf(ctx, id),
      kind,
      field,
      value,
    );
    // Read again after the round trip: another helper of this request may have recorded meanwhile.
    remember(ctx, id, recordAtomic(snapshotOf(ctx, id), field, stored));
    return result;
  }
}

/** The core under a store, for session() and its atomic helpers. */
export function storeCore(store: SessionStore): StoreCore {
  return coreOf(store);
}
