import type { Snapshot } from './request-state.js';

// koa-session hands stores its maxAge plus this margin, so stored data outlives the cookie.
const KOA_SESSION_STORE_MARGIN_MS = 10_000;

/**
 * When a save carries no field changes (atomic helpers stored them already), skipping it also
 * skips extending the session's life, which koa-session does on every change. So it is only
 * skipped in the first half of the session's life: `renew` and sliding expiry still happen in the
 * second half.
 */
export function canSkipSave(base: Snapshot, maxAge: unknown): boolean {
  if (!base.existed || base.expire === undefined || typeof maxAge !== 'number') return false;
  const lifetime = maxAge - KOA_SESSION_STORE_MARGIN_MS;
  return base.expire - Date.now() >= lifetime / 2;
}
