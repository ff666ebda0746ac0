import type { StoredFields } from './backend.js';
import type { SessionUnavailableError } from '../errors.js';

/** What one request read of one session: the base its writes are diffed against. */
export interface Snapshot {
  fields: StoredFields;
  existed: boolean;
  /** koa-session's `_expire` as stored, when known. */
  expire?: number;
}

// Keyed by the Koa context, so the state lives exactly as long as the request.
const snapshots = new WeakMap<object, Map<string, Snapshot>>();
const deferredLoads = new WeakSet<object>();
const loadFailures = new WeakMap<object, SessionUnavailableError>();
const replacedIds = new WeakMap<object, Map<string, string>>();
const lastDestroyed = new WeakMap<object, string>();

export function getSnapshot(ctx: object | undefined, id: string): Snapshot | undefined {
  return ctx ? snapshots.get(ctx)?.get(id) : undefined;
}

export function setSnapshot(ctx: object | undefined, id: string, snapshot: Snapshot): void {
  if (!ctx) return;
  let perRequest = snapshots.get(ctx);
  if (!perRequest) snapshots.set(ctx, (perRequest = new Map()));
  perRequest.set(id, snapshot);
}

/** The `session()` helper's lazy mode: a failed load surfaces only when `ctx.session` is used. */
export function deferLoadFailures(ctx: object): void {
  deferredLoads.add(ctx);
}

export function loadFailuresDeferred(ctx: object | undefined): boolean {
  return ctx !== undefined && deferredLoads.has(ctx);
}

export function recordLoadFailure(ctx: object, error: SessionUnavailableError): void {
  loadFailures.set(ctx, error);
}

export function loadFailure(ctx: object): SessionUnavailableError | undefined {
  return loadFailures.get(ctx);
}

/**
 * koa-session's `regenerate()` destroys the old id and saves under a new one, but the Session
 * object keeps reporting the old `externalKey`: a save right after a destroy in the same request
 * records where the session went, so atomic helpers follow it.
 */
export function recordDestroyed(ctx: object | undefined, id: string): void {
  if (ctx) lastDestroyed.set(ctx, id);
}

export function recordSaved(ctx: object | undefined, id: string): void {
  const destroyed = ctx && lastDestroyed.get(ctx);
  if (!ctx || !destroyed || destroyed === id) return;
  let perRequest = replacedIds.get(ctx);
  if (!perRequest) replacedIds.set(ctx, (perRequest = new Map()));
  perRequest.set(destroyed, id);
}

export function currentSessionId(ctx: object, id: string): string {
  return replacedIds.get(ctx)?.get(id) ?? id;
}
