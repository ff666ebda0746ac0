import type Koa from 'koa';
import { answerSessionError, isAnsweredSessionError } from './internal/error-response.js';
import { RequestSession, requestSessionOf } from './internal/request-session.js';
import type { CookieContext } from './internal/session-cookie.js';
import { resolveOptions, type SessionOptions } from './session-options.js';

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
  const resolved = resolveOptions(app, options);
  extendContext(app.context);
  return async function fleetSession(ctx, next) {
    const request = new RequestSession(ctx as unknown as CookieContext, resolved);
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
