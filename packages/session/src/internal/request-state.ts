import type { StoredFields } from './backend.js';

/** What one request read of one session: the base its writes are diffed against. */
export interface Snapshot {
  fields: StoredFields;
  existed: boolean;
  /** koa-session's `_expire` as stored, when known. */
  expire?: number;
}

interface StoreState {
  snapshots: Map<string, Snapshot>;
  lastDestroyed?: string;
  replacedIds?: Map<string, string>;
}

// Kept on the Koa context under a symbol, so it lives exactly as long as the request. (WeakMaps
// keyed by contexts did the same but cost a tenth of the request's CPU in garbage collection:
// V8 scans ephemeron tables on every young-generation collection.)
const STORE_STATE = Symbol('koa-fleet.session.store');

type Carrier = { [STORE_STATE]?: StoreState };

function stateOf(ctx: object): StoreState {
  const carrier = ctx as Carrier;
  return (carrier[STORE_STATE] ??= { snapshots: new Map() });
}

export function getSnapshot(ctx: object | undefined, id: string): Snapshot | undefined {
  return ctx ? (ctx as Carrier)[STORE_STATE]?.snapshots.get(id) : undefined;
}

export function setSnapshot(ctx: object | undefined, id: string, snapshot: Snapshot): void {
  if (ctx) stateOf(ctx).snapshots.set(id, snapshot);
}

/**
 * koa-session's `regenerate()` destroys the old id and saves under a new one, but the Session
 * object keeps reporting the old `externalKey`: a save right after a destroy in the same request
 * records where the session went, so atomic helpers follow it.
 */
export function recordDestroyed(ctx: object | undefined, id: string): void {
  if (ctx) stateOf(ctx).lastDestroyed = id;
}

export function recordSaved(ctx: object | undefined, id: string): void {
  const state = ctx && (ctx as Carrier)[STORE_STATE];
  const destroyed = state?.lastDestroyed;
  if (!state || !destroyed || destroyed === id) return;
  (state.replacedIds ??= new Map()).set(destroyed, id);
}

export function currentSessionId(ctx: object, id: string): string {
  return (ctx as Carrier)[STORE_STATE]?.replacedIds?.get(id) ?? id;
}
