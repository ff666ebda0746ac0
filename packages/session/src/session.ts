import type Koa from 'koa';
import {
  checkBoolean,
  checkKnownKeys,
  checkOneOf,
  checkString,
  InvalidOptionError,
} from '@koa-fleet/errors';
import { SessionArgumentsSwappedError, UnsupportedOptionError } from './errors.js';
import { isCookieKeys } from './internal/cookie-signer.js';
import { LIFETIME_EXPECTED, parseLifetime } from './internal/lifetime.js';
import { answerSessionError, isAnsweredSessionError } from './internal/error-response.js';
import {
  RequestSession,
  requestSessionOf,
  type SessionConfig,
} from './internal/request-session.js';
import { SessionCookie, type CookieContext } from './internal/session-cookie.js';
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

const OPTION_NAMES = [
  'store',
  'key',
  'maxAge',
  'rolling',
  'renew',
  'secure',
  'sameSite',
  'httpOnly',
  'signed',
  'path',
  'domain',
];
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
const extendedContexts = new WeakSet<object>();

/**
 * Session middleware: `ctx.session` as koa-session has it (fields, `isNew`, `maxAge`, `save()`,
 * `regenerate()`, `ctx.session = null`) and cookies in koa-session's format, on this package's
 * store, with safe defaults (signed, httpOnly, sameSite=lax, random 144-bit ids). Session errors
 * are answered as JSON (503 + Retry-After, 409, 413); a store outage fails only the requests
 * that use `ctx.session`. Unlike koa-session it writes only when something needs writing: no
 * cookie or store write for a session that was only read, or only changed by `incr()`.
 */
export function session(app: Koa, options: SessionOptions): Koa.Middleware {
  const config = resolveConfig(app, options);
  extendContext(app.context);
  return async function fleetSession(ctx, next) {
    const request = new RequestSession(ctx as unknown as CookieContext, config);
    await request.load();
    let failure: unknown;
    let failed = false;
    try {
      await next();
    } catch (error) {
      failed = true;
      failure = error;
    }
    // Saved even when the route threw, as koa-session does; the route's error wins.
    try {
      await request.commit({});
    } catch (error) {
      if (!failed) {
        failed = true;
        failure = error;
      }
    }
    if (!failed) return;
    if (!isAnsweredSessionError(failure)) throw failure;
    answerSessionError(ctx, failure);
  };
}

function resolveConfig(app: Koa, options: SessionOptions): SessionConfig {
  if (isKoaApp(options) && !isKoaApp(app)) throw new SessionArgumentsSwappedError();
  if (typeof options !== 'object' || options === null) {
    throw new InvalidOptionError('options', 'an object with at least `store`', options);
  }
  for (const name of Object.keys(options)) {
    if (KOA_SESSION_ONLY_OPTIONS.includes(name)) throw new UnsupportedOptionError(name);
  }
  checkKnownKeys('', options, OPTION_NAMES);
  if (!(options.store instanceof SessionStore)) {
    throw new InvalidOptionError(
      'store',
      'a store from redisStore(), memoryStore() or embeddedStore()',
      typeof options.store,
    );
  }
  const key = checkString('key', options.key ?? 'kf.sid');
  if (!/^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/.test(key)) {
    throw new InvalidOptionError('key', 'a cookie name (letters, digits, . _ - and the like)', key);
  }
  const maxAge = parseLifetime(options.maxAge ?? 86_400_000);
  if (maxAge === undefined) {
    throw new InvalidOptionError('maxAge', `${LIFETIME_EXPECTED} or 'session'`, options.maxAge);
  }
  const signed = checkBoolean('signed', options.signed ?? true);
  if (signed && !isCookieKeys(app.keys)) {
    throw new InvalidOptionError(
      'app.keys',
      'set when signed is true (cookies are signed with them)',
      app.keys,
    );
  }
  const cookie = new SessionCookie({
    name: key,
    signed,
    path: checkAttribute('path', options.path ?? '/'),
    domain: options.domain === undefined ? undefined : checkAttribute('domain', options.domain),
    sameSite: checkOneOf('sameSite', options.sameSite ?? 'lax', ['lax', 'strict', 'none'] as const),
    httpOnly: checkBoolean('httpOnly', options.httpOnly ?? true),
    secure: options.secure === undefined ? undefined : checkBoolean('secure', options.secure),
  });
  return {
    core: storeCore(options.store),
    cookie,
    maxAge,
    rolling: checkBoolean('rolling', options.rolling ?? false),
    renew: checkBoolean('renew', options.renew ?? false),
  };
}

/** A Koa application: what koa-session itself checks to tell its two argument orders apart. */
function isKoaApp(value: unknown): boolean {
  return typeof (value as { use?: unknown } | null)?.use === 'function';
}

// A `;` or a control character in an attribute would let it add attributes of its own.
function checkAttribute(option: string, value: unknown): string {
  const text = checkString(option, value);
  // eslint-disable-next-line no-control-regex
  if (/[\x00-\x1f\x7f;]/.test(text)) {
    throw new InvalidOptionError(
      option,
      'cookie attribute text without ; or control characters',
      text,
    );
  }
  return text;
}

/** `ctx.session` on every context of the app, backed by the request's RequestSession. */
function extendContext(context: object): void {
  if (extendedContexts.has(context)) return;
  Object.defineProperty(context, 'session', {
    configurable: true,
    get(this: object) {
      return requestSessionOf(this)?.get();
    },
    set(this: object, value: unknown) {
      requestSessionOf(this)?.set(value);
    },
  });
  extendedContexts.add(context);
}
