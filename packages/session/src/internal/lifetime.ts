import { InvalidOptionError, parseDuration } from '@koa-fleet/errors';
import type { SessionMeta } from './session-meta.js';

/**
 * koa-session hands stores its maxAge plus this margin, so stored data outlives the cookie; the
 * `session()` middleware does the same, so both write identical TTLs.
 */
export const STORE_MARGIN_MS = 10_000;

/** What a save records of a session's life: its bookkeeping, and how long the store keeps it. */
export interface Lifetime {
  meta: SessionMeta;
  /** ms the store keeps the data (koa-session's maxAge plus its margin); absent: the `ttl` option. */
  storeMs: number | undefined;
}

/** A session saved now by session(), with koa-session's bookkeeping and margin. */
export function lifetimeOf(maxAge: number | 'session', now = Date.now()): Lifetime {
  if (maxAge === 'session') return { meta: { lifetime: 'session' }, storeMs: undefined };
  return { meta: { expire: now + maxAge, lifetime: maxAge }, storeMs: maxAge + STORE_MARGIN_MS };
}

/**
 * Whether less than half of a session's life is left: when koa-session's `renew` extends a
 * session, and when a save that changes no field still has to extend it.
 */
export function inSecondHalfOfLife(expire: number, lifetimeMs: number, now = Date.now()): boolean {
  return expire - now < lifetimeMs / 2;
}

export const LIFETIME_EXPECTED = "a positive duration (ms, or text such as '1d')";

/** A session lifetime as given (`86400000`, `'1d'`, `'session'`): ms, `'session'`, or undefined. */
export function parseLifetime(value: unknown): number | 'session' | undefined {
  if (value === 'session') return 'session';
  if (typeof value !== 'number' && typeof value !== 'string') return undefined;
  const ms = parseDuration(value);
  return ms !== undefined && ms > 0 ? ms : undefined;
}

/** The `maxAge` option: a lifetime, or a wrong option named as such. */
export function checkLifetime(option: string, value: unknown): number | 'session' {
  const lifetime = parseLifetime(value);
  if (lifetime === undefined) {
    throw new InvalidOptionError(option, `${LIFETIME_EXPECTED} or 'session'`, value);
  }
  return lifetime;
}
