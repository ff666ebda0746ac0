import { inSecondHalfOfLife } from './lifetime.js';
import type { Snapshot } from './snapshot.js';

/**
 * A save that changes no field (atomic helpers stored every change already) would only rewrite
 * the bookkeeping and the TTL, extending the session's life as koa-session does on every change.
 * It is skipped while that bookkeeping is stored and the session is in the first half of its life
 * (a browser-session one has no expiry to extend), so `renew` and sliding expiry still happen in
 * the second half. session() and the koa-session adapter both decide by this.
 */
export function canSkipUnchangedSave(
  snapshot: Snapshot,
  lifetime: number | 'session' | undefined,
): boolean {
  const meta = snapshot.meta;
  if (!snapshot.existed || meta === undefined) return false;
  if (meta.expire === undefined) return meta.lifetime === 'session';
  return typeof lifetime === 'number' && !inSecondHalfOfLife(meta.expire, lifetime);
}
