/**
 * koa-session hands stores its maxAge plus this margin, so stored data outlives the cookie; the
 * `session()` middleware does the same, so both write identical TTLs.
 */
export const STORE_MARGIN_MS = 10_000;

/**
 * Whether less than half of a session's life is left: when koa-session's `renew` extends a
 * session, and when a save that changes no field still has to extend it.
 */
export function inSecondHalfOfLife(expire: number, lifetimeMs: number, now = Date.now()): boolean {
  return expire - now < lifetimeMs / 2;
}
