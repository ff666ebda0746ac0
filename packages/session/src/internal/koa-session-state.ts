import { NO_SESSION, type Snapshot } from './snapshot.js';

/**
 * What the koa-session adapter knows of one request: koa-session's calls carry only `ctx`, so
 * the snapshot of each id it read or wrote, and where a regenerated session went, live there.
 */
interface KoaSessionState {
  snapshots: Map<string, Snapshot>;
  lastDestroyed?: string;
  replacedIds?: Map<string, string>;
}

// Kept on the Koa context under a symbol, so it lives exactly as long as the request. (WeakMaps
// keyed by contexts did the same but cost a tenth of the request's CPU in garbage collection:
// V8 scans ephemeron tables on every young-generation collection.)
const STATE = Symbol('koa-fleet.session.koa-session');

type Carrier = { [STATE]?: KoaSessionState };

function stateOf(ctx: object): KoaSessionState {
  return ((ctx as Carrier)[STATE] ??= { snapshots: new Map() });
}

/** What this request last read or wrote of `id` (nothing without a `ctx`). */
export function snapshotOf(ctx: object | undefined, id: string): Snapshot {
  return (ctx && (ctx as Carrier)[STATE]?.snapshots.get(id)) ?? NO_SESSION;
}

export function remember(ctx: object | undefined, id: string, snapshot: Snapshot): void {
  if (ctx) stateOf(ctx).snapshots.set(id, snapshot);
}

/**
 * koa-session's `regenerate()` destroys the old id and saves under a new one, but its Session
 * object keeps reporting the old `externalKey`: a save right after a destroy in the same request
 * records where the session went, so atomic helpers follow it.
 */
export function recordDestroyed(ctx: object | undefined, id: string): void {
  if (!ctx) return;
  const state = stateOf(ctx);
  state.snapshots.set(id, NO_SESSION);
  state.lastDestroyed = id;
}

export function recordSaved(ctx: object | undefined, id: string, snapshot: Snapshot): void {
  if (!ctx) return;
  const state = stateOf(ctx);
  state.snapshots.set(id, snapshot);
  const destroyed = state.lastDestroyed;
  if (destroyed && destroyed !== id) (state.replacedIds ??= new Map()).set(destroyed, id);
}

/** The id a session koa-session knows as `id` has now: after `regenerate()`, the new one. */
export function currentSessionId(ctx: object, id: string): string {
  return (ctx as Carrier)[STATE]?.replacedIds?.get(id) ?? id;
}
