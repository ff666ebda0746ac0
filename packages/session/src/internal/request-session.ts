import { SessionUnavailableError, SessionUsageError } from '../errors.js';
import { Session, type SessionOwner } from '../session-object.js';
import type { ResolvedSessionOptions } from '../session-options.js';
import type { AtomicKind } from './backend.js';
import { hasNoChanges, type FieldChanges } from './diff.js';
import { lifetimeOf } from './lifetime.js';
import type { CookieContext } from './session-cookie.js';
import { generateSessionId } from './session-id.js';
import { hasExpired } from './session-meta.js';
import { canSkipUnchangedSave } from './skip-save.js';
import { NO_SESSION, recordAtomic, type Snapshot } from './snapshot.js';
import type { LoadedSession, StoreCore } from './store-core.js';

const REQUEST_SESSION = Symbol('koa-fleet.session');

interface Carrier {
  [REQUEST_SESSION]?: RequestSession;
}

/** The session state of the request `ctx`, when the `session()` middleware runs for it. */
export function requestSessionOf(ctx: object): RequestSession | undefined {
  return (ctx as Carrier)[REQUEST_SESSION];
}

/**
 * One request's session: loaded from the store when the request carries a valid cookie, made
 * into `ctx.session` on first use, and saved after the route only when something needs saving —
 * a changed field, `rolling`, `renew`, a forced save — so a request that only reads, or only
 * used the atomic helpers (already stored), costs one read and no write. It holds the request's
 * one snapshot of what is stored, which every save and atomic helper is measured against.
 */
export class RequestSession implements SessionOwner {
  maxAge: number | 'session';
  readonly #ctx: CookieContext;
  readonly #options: ResolvedSessionOptions;
  readonly #core: StoreCore;
  #id: string | undefined;
  /** undefined: not used yet; null: destroyed by `ctx.session = null`. */
  #session: Session | null | undefined;
  /** The fields the store answered, until they become `#session`. */
  #loaded: Record<string, unknown> | undefined;
  /** What is stored under `#id`, as this request last read or wrote it. */
  #snapshot: Snapshot = NO_SESSION;
  /** The store holds the session under `#id` with its bookkeeping (loaded, or saved here). */
  #persisted = false;
  #failure: SessionUnavailableError | undefined;
  #forceSave = false;
  #atomicApplied = false;
  #resignCookie = false;

  constructor(ctx: CookieContext, options: ResolvedSessionOptions) {
    this.#ctx = ctx;
    this.#options = options;
    this.#core = options.core;
    this.maxAge = options.maxAge;
    (ctx as Carrier)[REQUEST_SESSION] = this;
  }

  /**
   * Reads the session the cookie names. A store outage is kept, not thrown: it surfaces where
   * `ctx.session` is used, so routes that never touch the session keep working.
   */
  async load(): Promise<void> {
    const cookie = this.#options.cookie.read(this.#ctx);
    if (!cookie) return;
    let loaded: LoadedSession | null;
    try {
      loaded = await this.#core.load(cookie.id);
    } catch (error) {
      if (!(error instanceof SessionUnavailableError)) throw error;
      this.#failure = error;
      return;
    }
    // Unknown or expired: a new session under a new id, never one the client chose.
    if (!loaded || hasExpired(loaded.snapshot.meta)) return;
    this.#id = cookie.id;
    this.#loaded = loaded.data;
    this.#snapshot = loaded.snapshot;
    this.#persisted = true;
    this.#resignCookie = cookie.resign;
    const lifetime = loaded.snapshot.meta?.lifetime;
    if (lifetime !== undefined) this.maxAge = lifetime;
  }

  /** `ctx.session`. */
  get(): Session | null {
    if (this.#failure) throw this.#failure;
    return this.#session === undefined ? this.#materialize() : this.#session;
  }

  /** `ctx.session = value`: null destroys the session, an object replaces its fields. */
  set(value: unknown): void {
    if (this.#failure) throw this.#failure;
    if (value === null) {
      this.#session = null;
      return;
    }
    if (typeof value !== 'object' || Array.isArray(value)) {
      throw new SessionUsageError('ctx.session can only be set to null or an object');
    }
    // The snapshot still holds what is stored, so every field the object lacks is deleted.
    this.#session = new Session(this, value as Record<string, unknown>);
  }

  currentId(): string {
    return (this.#id ??= generateSessionId());
  }

  requireSave(): void {
    this.#forceSave = true;
  }

  /** An atomic helper on this request's session: stored at once, so the save need not write it. */
  async atomic(kind: AtomicKind, field: string, value: unknown): Promise<unknown> {
    const session = this.get(); // throws SessionUnavailableError if it could not load
    if (!session) throw new SessionUsageError(`${kind}(): this request has no session`);
    const id = this.currentId();
    const result = await this.#core.atomic(id, this.#snapshot, kind, field, value);
    // The snapshot as it is after the round trip: another helper may have recorded meanwhile.
    this.#snapshot = recordAtomic(this.#snapshot, field, result.stored);
    this.#atomicApplied = true;
    session[field] = result.value;
    return result.value;
  }

  async commit({ save = false, regenerate = false }: { save?: boolean; regenerate?: boolean }) {
    let session = this.#session;
    if (session === undefined) {
      // Never used by the route: a loaded session still gets its rolling/renew extension.
      if (!this.#loaded || !(this.#options.rolling || this.#options.renew)) {
        if (this.#resignCookie) this.#writeCookie(this.#snapshot.meta?.expire);
        return;
      }
      session = this.#materialize();
    }
    if (session === null) {
      await this.#remove();
      return;
    }
    if (regenerate) {
      await this.#remove();
      this.#id = generateSessionId();
    }
    const changes = this.#core.changesSince(this.#snapshot, session.toJSON());
    if (!(save || regenerate || this.#forceSave || this.#needsSave(changes))) {
      if (this.#resignCookie && this.#persisted) this.#writeCookie(this.#snapshot.meta?.expire);
      return;
    }
    await this.#save(session, changes);
  }

  #materialize(): Session {
    const session = new Session(this, this.#loaded);
    const expire = this.#snapshot.meta?.expire;
    if (expire !== undefined) session._expire = expire;
    this.#session = session;
    return session;
  }

  #needsSave(changes: FieldChanges): boolean {
    if (!this.#persisted) return Object.keys(changes.current).length > 0;
    if (!hasNoChanges(changes) || this.#options.rolling) return true;
    // Atomic changes are stored already, but a session in use must not run out of life.
    return (
      (this.#options.renew || this.#atomicApplied) &&
      !canSkipUnchangedSave(this.#snapshot, this.maxAge)
    );
  }

  async #save(session: Session, changes: FieldChanges): Promise<void> {
    const lifetime = lifetimeOf(this.maxAge);
    this.#snapshot = await this.#core.save(this.currentId(), this.#snapshot, changes, lifetime);
    session._expire = lifetime.meta.expire;
    this.#persisted = true;
    this.#forceSave = false;
    this.#writeCookie(lifetime.meta.expire);
  }

  async #remove(): Promise<void> {
    if (this.#id !== undefined) await this.#core.destroy(this.#id);
    this.#snapshot = NO_SESSION;
    this.#persisted = false;
    this.#options.cookie.clear(this.#ctx);
  }

  #writeCookie(expire: number | undefined): void {
    const expires = expire === undefined ? undefined : new Date(expire);
    this.#options.cookie.write(this.#ctx, this.currentId(), expires);
  }
}
