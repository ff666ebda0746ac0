import type { StoredFields } from './backend.js';
import type { SessionMeta } from './session-meta.js';

/**
 * What a request last read or wrote of one session: the base its next save's changes are
 * computed against. session() keeps the request's one in its RequestSession; koa-session's calls
 * carry only `ctx`, so the koa-session adapter keeps one per id there.
 */
export interface Snapshot {
  /** The stored text of each field. */
  readonly fields: StoredFields;
  /** The store held the session: a save must not bring it back once another request destroyed it. */
  readonly existed: boolean;
  /** koa-session's bookkeeping as stored; absent when none was (an atomic helper made the session). */
  readonly meta?: SessionMeta;
}

/** Nothing read: a new session, or one this request destroyed. */
export const NO_SESSION: Snapshot = { fields: {}, existed: false };

/** An atomic helper stored `text` in `field` itself: read, so the request's save leaves it alone. */
export function recordAtomic(snapshot: Snapshot, field: string, text: string): Snapshot {
  return { fields: { ...snapshot.fields, [field]: text }, existed: true, meta: snapshot.meta };
}
