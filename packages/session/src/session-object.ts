import { SessionUsageError } from './errors.js';
import { LIFETIME_EXPECTED, parseLifetime } from './internal/lifetime.js';

/** What a session object asks of the request it belongs to. */
export interface SessionOwner {
  /** The session's id (its cookie value), made up on first use for a new session. */
  currentId(): string;
  maxAge: number | 'session';
  requireSave(): void;
  commit(options: { save?: boolean; regenerate?: boolean }): Promise<void>;
}

/**
 * `ctx.session`: the user's fields as plain properties, plus koa-session's methods and flags, so
 * code written for koa-session runs unchanged. Fields starting with `_` are not stored.
 */
export class Session {
  readonly #owner: SessionOwner;
  /** True when this request created the session (there was none, or it had expired). */
  isNew: boolean;
  /** When the stored session expires (ms since the epoch); absent for `maxAge: 'session'`. */
  declare _expire?: number;
  [field: string]: unknown;

  /** @internal created by the `session()` middleware. */
  constructor(owner: SessionOwner, data?: Readonly<Record<string, unknown>>) {
    this.#owner = owner;
    this.isNew = data === undefined;
    if (!data) return;
    for (const key of Object.keys(data)) {
      // Names of methods and accessors (and `__proto__`) are never fields: assigning them would
      // break the object.
      if (key in Session.prototype) continue;
      this[key] = data[key];
    }
  }

  /** The fields that are stored: every own property except `isNew` and `_`-prefixed ones. */
  toJSON(): Record<string, unknown> {
    const fields: Record<string, unknown> = {};
    for (const key of Object.keys(this)) {
      if (key === 'isNew' || key.startsWith('_')) continue;
      const value = this[key];
      if (typeof value !== 'function') fields[key] = value;
    }
    return fields;
  }

  /** How many fields the session holds. */
  get length(): number {
    return Object.keys(this.toJSON()).length;
  }

  get populated(): boolean {
    return this.length > 0;
  }

  /**
   * This session's lifetime in ms, or `'session'`; setting it (ms or text such as `'7d'`) saves
   * the session.
   */
  get maxAge(): number | 'session' {
    return this.#owner.maxAge;
  }

  set maxAge(value: number | string) {
    // Numbers as before; text is parsed as the middleware's maxAge option is.
    const lifetime = typeof value === 'string' ? parseLifetime(value) : value;
    if (lifetime === undefined) {
      throw new SessionUsageError(
        `ctx.session.maxAge must be ${LIFETIME_EXPECTED} or 'session', got ${JSON.stringify(value)}`,
      );
    }
    this.#owner.maxAge = lifetime;
    this.#owner.requireSave();
  }

  /** The session id, as carried by the cookie (after `regenerate()`, the new one). */
  get externalKey(): string {
    return this.#owner.currentId();
  }

  /** Saves now, changed or not. */
  save(): Promise<void> {
    return this.#owner.commit({ save: true });
  }

  /** Moves the data to a new id and retires the old one (call it on login: against fixation). */
  regenerate(): Promise<void> {
    return this.#owner.commit({ regenerate: true });
  }

  /** Saves now if anything changed (the middleware also does it after the route). */
  manuallyCommit(): Promise<void> {
    return this.#owner.commit({});
  }
}
