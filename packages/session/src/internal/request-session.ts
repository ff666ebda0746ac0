import { SessionUnavailableError, SessionUsageError } from '../errors.js';
import { Session, type SessionOwner } from '../session-object.js';
import type { SessionStore } from '../session-store.js';
import { inSecondHalfOfLife, STORE_MARGIN_MS } from './lifetime.js';
import type { CookieContext, SessionCookie } from './session-cookie.js';
import { generateSessionId } from './session-id.js';

/** The `session()` middleware's settings, resolved once. */
export interface SessionConfig {
  store: SessionStore;
  cookie: SessionCookie;
  maxAge: number | 'session';
  rolling: boolean;
  renew: boolean;
}

type SaveReason = 'changed' | 'rolling' | 'renew' | 'force' | '';

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
 * used the atomic helpers (already stored), costs one read and no write.
 */
export class RequestSession implements SessionOwner {
  readonly store: SessionStore;
  maxAge: number | 'session';
  readonly #ctx: CookieContext;
  readonly #config: SessionConfig;
  #id: string | undefined;
  /** undefined: not used yet; null: destroyed by `ctx.session = null`. */
  #session: Session | null | undefined;
  /** What the store answered, until it becomes `#session`. */
  #loaded: Record<string, unknown> | undefined;
  /** The store holds the session under `#id` (loaded, or saved by this request). */
  #persisted = false;
  /** JSON text of each stored field, to tell what the route changed. */
  #baseline: Map<string, string> | undefined;
  #failure: SessionUnavailableError | undefined;
  #forceSave = false;
  #atomicApplied = false;
  #resignCookie = false;

  constructor(ctx: CookieContext, config: SessionConfig) {
    this.#ctx = ctx;
    this.#config = config;
    this.store = config.store;
    this.maxAge = config.maxAge;
    (ctx as Carrier)[REQUEST_SESSION] = this;
  }

  /**
   * Reads the session the cookie names. A store outage is kept, not thrown: it surfaces where
   * `ctx.session` is used, so routes that never touch the session keep working.
   */
  async load(): Promise<void> {
    const cookie = this.#config.cookie.read(this.#ctx);
    if (!cookie) return;
    let data: Record<string, unknown> | null;
    try {
      data = await this.store.get(cookie.id, this.#storeMaxAge(), {
        ctx: this.#ctx,
        rolling: this.#config.rolling,
      });
    } catch (error) {
      if (!(error instanceof SessionUnavailableError)) throw error;
      this.#failure = error;
      return;
    }
    // Unknown or expired: a new session under a new id, never one the client chose.
    if (!data || (typeof data._expire === 'number' && data._expire < Date.now())) return;
    this.#id = cookie.id;
    this.#loaded = data;
    this.#persisted = true;
    this.#resignCookie = cookie.resign;
    if (typeof data._maxAge === 'number') this.maxAge = data._maxAge;
    else if (data._session === true) this.maxAge = 'session';
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
    // What was stored must be known (the baseline), or `ctx.session = {}` would look unchanged.
    if (this.#session === undefined) this.#materialize();
    this.#session = new Session(this, value as Record<string, unknown>);
  }

  currentId(): string {
    return (this.#id ??= generateSessionId());
  }

  requireSave(): void {
    this.#forceSave = true;
  }

  /** An atomic helper stored `field` itself: the route's commit need not write it again. */
  recordAtomic(field: string, value: unknown): void {
    const text = JSON.stringify(value);
    if (text !== undefined) (this.#baseline ??= new Map()).set(field, text);
    this.#atomicApplied = true;
  }

  async commit({ save = false, regenerate = false }: { save?: boolean; regenerate?: boolean }) {
    let session = this.#session;
    if (session === undefined) {
      // Never used by the route: a loaded session still gets its rolling/renew extension.
      if (!this.#loaded || !(this.#config.rolling || this.#config.renew)) {
        if (this.#resignCookie) this.#writeCookie(this.#loadedExpire());
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
    const fields = session.toJSON();
    const reason: SaveReason =
      save || regenerate || this.#forceSave ? 'force' : this.#reasonToSave(session, fields);
    if (reason === '') {
      if (this.#resignCookie && this.#persisted) this.#writeCookie(session._expire);
      return;
    }
    await this.#save(session, fields, reason === 'changed');
  }

  #materialize(): Session {
    const session = new Session(this, this.#loaded);
    if (this.#loaded) this.#resetBaseline(session.toJSON());
    this.#session = session;
    return session;
  }

  #reasonToSave(session: Session, fields: Record<string, unknown>): SaveReason {
    if (!this.#persisted) return hasFields(fields) ? 'changed' : '';
    if (this.#differsFromBaseline(fields)) return 'changed';
    if (this.#config.rolling) return 'rolling';
    const expire = session._expire;
    if (
      (this.#config.renew || this.#atomicApplied) &&
      typeof expire === 'number' &&
      typeof this.maxAge === 'number' &&
      inSecondHalfOfLife(expire, this.maxAge)
    ) {
      // Atomic changes are stored already, but a session in use must not run out of life.
      return 'renew';
    }
    return '';
  }

  /** Stores `fields` (the session's, fresh from toJSON) with koa-session's bookkeeping. */
  async #save(session: Session, fields: Record<string, unknown>, changed: boolean): Promise<void> {
    const data = fields;
    let expire: number | undefined;
    if (this.maxAge === 'session') {
      data._session = true;
    } else {
      expire = Date.now() + this.maxAge;
      data._expire = expire;
      data._maxAge = this.maxAge;
    }
    const id = this.currentId();
    await this.store.set(id, data, this.#storeMaxAge(), {
      ctx: this.#ctx,
      changed,
      rolling: this.#config.rolling,
    });
    session._expire = expire;
    this.#persisted = true;
    this.#forceSave = false;
    this.#resetBaseline(data);
    this.#writeCookie(expire);
  }

  async #remove(): Promise<void> {
    if (this.#id !== undefined) await this.store.destroy(this.#id, { ctx: this.#ctx });
    this.#persisted = false;
    this.#baseline = undefined;
    this.#config.cookie.clear(this.#ctx);
  }

  #writeCookie(expire: number | undefined): void {
    const expires = expire === undefined ? undefined : new Date(expire);
    this.#config.cookie.write(this.#ctx, this.currentId(), expires);
  }

  #loadedExpire(): number | undefined {
    const expire = this.#loaded?._expire;
    return typeof expire === 'number' ? expire : undefined;
  }

  /** What koa-session hands its store: the lifetime plus a margin, so data outlives the cookie. */
  #storeMaxAge(): number | 'session' {
    return this.maxAge === 'session' ? 'session' : this.maxAge + STORE_MARGIN_MS;
  }

  /** Remembers what is stored now; bookkeeping (`_expire`, …) is not a field. */
  #resetBaseline(fields: Record<string, unknown>): void {
    const baseline = new Map<string, string>();
    for (const key of Object.keys(fields)) {
      if (key.startsWith('_')) continue;
      const text = JSON.stringify(fields[key]);
      if (text !== undefined) baseline.set(key, text);
    }
    this.#baseline = baseline;
  }

  #differsFromBaseline(fields: Record<string, unknown>): boolean {
    const baseline = this.#baseline;
    let count = 0;
    for (const key of Object.keys(fields)) {
      const text = JSON.stringify(fields[key]);
      if (text === undefined) continue;
      count += 1;
      if (baseline?.get(key) !== text) return true;
    }
    return count !== (baseline?.size ?? 0);
  }
}

function hasFields(fields: Record<string, unknown>): boolean {
  for (const key in fields) if (fields[key] !== undefined) return true;
  return false;
}
