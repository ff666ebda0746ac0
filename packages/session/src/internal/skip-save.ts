import { inSecondHalfOfLife, STORE_MARGIN_MS } from './lifetime.js';
import type { Snapshot } from './request-state.js';

/**
 * When a save carries no field changes (atomic helpers stored them already), skipping it also
 * skips extending the session's life, which koa-session does on every change. So it is only
 * skipped in the first half of the session's life: `renew` and sliding expiry still happen in the
 * second half.
 */
export function canSkipSave(base: Snapshot, maxAge: unknown): boolean {
  if (!base.existed || base.expire === undefined || typeof maxAge !== 'number') return false;
  return !inSecondHalfOfLife(base.expire, maxAge - STORE_MARGIN_MS);
}
