import type Koa from 'koa';
import createSession from 'koa-session';
import {
  checkBoolean,
  checkKnownKeys,
  checkOneOf,
  checkString,
  InvalidOptionError,
} from '@koa-fleet/errors';
import { answerSessionError, isAnsweredSessionError } from './internal/error-response.js';
import { deferLoadFailures, loadFailure } from './internal/request-state.js';
import { generateSessionId } from './internal/session-id.js';
import { SessionStore } from './session-store.js';

export interface SessionOptions {
  /** From `redisStore()`, `memoryStore()` or `embeddedStore()`. */
  store: SessionStore;
  /** Cookie name. Default `'kf.sid'`. */
  key?: string;
  /** Cookie and session lifetime in ms, or `'session'` for a browser-session cookie. Default 1 day. */
  maxAge?: number | 'session';
  /** Extend the lifetime on every response (TTL only, data is not rewritten). Default false. */
  rolling?: boolean;
  /** Extend the lifetime when less than half is left. Default false. */
  renew?: boolean;
  /** Default: true on HTTPS requests. */
  secure?: boolean;
  /** Default `'lax'`. */
  sameSite?: 'lax' | 'strict' | 'none';
  /** Default true. */
  httpOnly?: boolean;
  /** Sign the cookie with `app.keys` so a tampered one is refused. Default true. */
  signed?: boolean;
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
];
const patchedContexts = new WeakSet<object>();

/**
 * koa-session with this package's store and safe defaults (signed, httpOnly, sameSite=lax,
 * random 144-bit ids). Session errors are answered as JSON (503 + Retry-After, 409, 413), and
 * a store outage only fails requests that actually use `ctx.session`.
 */
export function session(app: Koa, options: SessionOptions): Koa.Middleware {
  checkKnownKeys('', options, OPTION_NAMES);
  if (!(options.store instanceof SessionStore)) {
    throw new InvalidOptionError(
      'store',
      'a store from redisStore(), memoryStore() or embeddedStore()',
      typeof options.store,
    );
  }
  const key = checkString('key', options.key ?? 'kf.sid');
  const maxAge = options.maxAge ?? 86_400_000;
  if (maxAge !== 'session' && (typeof maxAge !== 'number' || !(maxAge > 0))) {
    throw new InvalidOptionError('maxAge', "a positive number of ms or 'session'", maxAge);
  }
  const signed = checkBoolean('signed', options.signed ?? true);
  if (signed && !(Array.isArray(app.keys) && app.keys.length > 0)) {
    throw new InvalidOptionError(
      'app.keys',
      'set when signed is true (cookies are signed with them)',
      app.keys,
    );
  }
  const inner = createSession(app, {
    key,
    maxAge,
    signed,
    rolling: checkBoolean('rolling', options.rolling ?? false),
    renew: checkBoolean('renew', options.renew ?? false),
    httpOnly: checkBoolean('httpOnly', options.httpOnly ?? true),
    sameSite: checkOneOf('sameSite', options.sameSite ?? 'lax', ['lax', 'strict', 'none'] as const),
    ...(options.secure === undefined ? {} : { secure: checkBoolean('secure', options.secure) }),
    autoCommit: true,
    store: options.store,
    genid: generateSessionId,
  });
  surfaceLoadFailuresOnUse(app.context);
  return async function fleetSession(ctx, next) {
    deferLoadFailures(ctx);
    try {
      await inner(ctx, next);
    } catch (error) {
      if (!isAnsweredSessionError(error)) throw error;
      answerSessionError(ctx, error);
    }
    if (loadFailure(ctx)) dropSessionCookie(ctx, key);
  };
}

/**
 * koa-session loads the session before the route runs. When that load fails, the request goes
 * on without a session and the failure is thrown only where `ctx.session` is read or assigned,
 * so routes that never touch the session keep working through a store outage.
 */
function surfaceLoadFailuresOnUse(context: object): void {
  if (patchedContexts.has(context)) return;
  const original = Object.getOwnPropertyDescriptor(context, 'session');
  if (!original?.get || !original.set) return;
  const { get, set } = original;
  Object.defineProperty(context, 'session', {
    configurable: true,
    get(this: object) {
      const failure = loadFailure(this);
      if (failure) throw failure;
      return get.call(this) as unknown;
    },
    set(this: object, value: unknown) {
      const failure = loadFailure(this);
      if (failure) throw failure;
      set.call(this, value);
    },
  });
  patchedContexts.add(context);
}

// koa-session made up a new id for the unloadable session; sending it would log the user out.
function dropSessionCookie(ctx: Koa.Context, key: string): void {
  const cookies = ctx.response.get('Set-Cookie') as unknown;
  if (!Array.isArray(cookies)) return;
  const kept = cookies.filter(
    (cookie: string) => !cookie.startsWith(`${key}=`) && !cookie.startsWith(`${key}.sig=`),
  );
  if (kept.length === cookies.length) return;
  if (kept.length === 0) ctx.remove('Set-Cookie');
  else ctx.set('Set-Cookie', kept);
}
