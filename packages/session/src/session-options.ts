import type Koa from 'koa';
import { checkBoolean, checkKnownKeys, InvalidOptionError } from '@koa-fleet/errors';
import { SessionArgumentsSwappedError, UnsupportedOptionError } from './errors.js';
import { checkLifetime } from './internal/lifetime.js';
import { resolveCookieOptions, SessionCookie } from './internal/session-cookie.js';
import type { StoreCore } from './internal/store-core.js';
import { SessionStore, storeCore } from './session-store.js';

export interface SessionOptions {
  /** From `redisStore()`, `memoryStore()` or `embeddedStore()`. */
  store: SessionStore;
  /** Cookie name. Default `'kf.sid'`. */
  key?: string;
  /**
   * Cookie and session lifetime: ms or text (`'1d'`), or `'session'` for a browser-session
   * cookie. Default 1 day.
   */
  maxAge?: number | string;
  /** Extend the lifetime on every response (TTL only, data is not rewritten). Default false. */
  rolling?: boolean;
  /** Extend the lifetime when less than half is left. Default false. */
  renew?: boolean;
  /** Default: true on HTTPS requests (`ctx.secure`, which honours `app.proxy`). */
  secure?: boolean;
  /** Default `'lax'`. */
  sameSite?: 'lax' | 'strict' | 'none';
  /** Default true. */
  httpOnly?: boolean;
  /** Sign the cookie with `app.keys` so a tampered one is refused. Default true. */
  signed?: boolean;
  /** Cookie path. Default `'/'`. */
  path?: string;
  /** Cookie domain. Default: none (the host that set it). */
  domain?: string;
}

/** The `session()` middleware's settings, resolved once. */
export interface ResolvedSessionOptions {
  core: StoreCore;
  cookie: SessionCookie;
  maxAge: number | 'session';
  rolling: boolean;
  renew: boolean;
}

const KEYS = Object.keys({
  store: true,
  key: true,
  maxAge: true,
  rolling: true,
  renew: true,
  secure: true,
  sameSite: true,
  httpOnly: true,
  signed: true,
  path: true,
  domain: true,
} satisfies Record<keyof SessionOptions, true>);

// koa-session options this middleware does not implement: named as such, not as unknown.
const KOA_SESSION_ONLY_OPTIONS = [
  'autoCommit',
  'externalKey',
  'ContextStore',
  'genid',
  'prefix',
  'encode',
  'decode',
  'valid',
  'beforeSave',
];

/** Checks every option of `session(app, options)` once, naming the one that is wrong. */
export function resolveOptions(app: Koa, options: SessionOptions): ResolvedSessionOptions {
  if (isKoaApp(options) && !isKoaApp(app)) throw new SessionArgumentsSwappedError();
  if (typeof options !== 'object' || options === null) {
    throw new InvalidOptionError('options', 'an object with at least `store`', options);
  }
  for (const name of Object.keys(options)) {
    if (KOA_SESSION_ONLY_OPTIONS.includes(name)) throw new UnsupportedOptionError(name);
  }
  checkKnownKeys('', options, KEYS);
  if (!(options.store instanceof SessionStore)) {
    throw new InvalidOptionError(
      'store',
      'a store from redisStore(), memoryStore() or embeddedStore()',
      typeof options.store,
    );
  }
  return {
    core: storeCore(options.store),
    cookie: new SessionCookie(resolveCookieOptions(options, app.keys)),
    maxAge: checkLifetime('maxAge', options.maxAge ?? 86_400_000),
    rolling: checkBoolean('rolling', options.rolling ?? false),
    renew: checkBoolean('renew', options.renew ?? false),
  };
}

/** A Koa application: what koa-session itself checks to tell its two argument orders apart. */
function isKoaApp(value: unknown): boolean {
  return typeof (value as { use?: unknown } | null)?.use === 'function';
}
