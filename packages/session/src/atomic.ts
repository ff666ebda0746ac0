import { SessionUsageError } from './errors.js';
import type { AtomicKind } from './internal/backend.js';
import { requestSessionOf } from './internal/request-session.js';
import { SessionStore } from './session-store.js';

/**
 * Read-modify-write helpers that merging cannot make safe (`ctx.session.n++` from two requests
 * is a same-field conflict). Each is one atomic round trip to the store, exact under any
 * concurrency, and updates `ctx.session[field]` to the stored result.
 */

/** Adds `by` (a safe integer, default 1) to an integer field (missing = 0); returns the new value. */
export async function incr(ctx: object, field: string, by = 1): Promise<number> {
  if (!Number.isSafeInteger(by))
    throw new SessionUsageError(`incr(): step must be a safe integer, got ${String(by)}`);
  return (await run(ctx, 'incr', field, by)) as number;
}

/** Appends a JSON value to an array field (missing = empty); returns the new array. */
export async function append(ctx: object, field: string, item: unknown): Promise<unknown[]> {
  if (JSON.stringify(item) === undefined)
    throw new SessionUsageError('append(): item must be JSON');
  return (await run(ctx, 'append', field, item)) as unknown[];
}

/** Appends a string, number or boolean to an array field unless already present. */
export async function addToSet<T extends string | number | boolean>(
  ctx: object,
  field: string,
  item: T,
): Promise<T[]> {
  if (!['string', 'number', 'boolean'].includes(typeof item) || !isFiniteIfNumber(item)) {
    throw new SessionUsageError('addToSet(): item must be a string, a finite number or a boolean');
  }
  return (await run(ctx, 'addToSet', field, item)) as T[];
}

interface SessionContext {
  session?: (Record<string, unknown> & { readonly externalKey?: string }) | null;
  sessionOptions?: { store?: unknown };
}

async function run(ctx: object, kind: AtomicKind, field: string, value: unknown): Promise<unknown> {
  if (typeof field !== 'string' || field === '' || field.startsWith('_')) {
    throw new SessionUsageError(`${kind}(): field must be a non-empty name not starting with "_"`);
  }
  // The session() middleware: its request knows the id and keeps the one snapshot.
  const request = requestSessionOf(ctx);
  if (request) return request.atomic(kind, field, value);
  // koa-session with one of this package's stores.
  const sessionCtx = ctx as SessionContext;
  const store = sessionCtx.sessionOptions?.store;
  if (!(store instanceof SessionStore)) {
    throw new SessionUsageError(`${kind}() needs koa-session with a @koa-fleet/session store`);
  }
  const session = sessionCtx.session; // throws SessionUnavailableError if it could not load
  const externalKey = session?.externalKey;
  if (!session || !externalKey)
    throw new SessionUsageError(`${kind}(): this request has no session`);
  const result = await store.atomic(ctx, externalKey, kind, field, value);
  session[field] = result;
  return result;
}

function isFiniteIfNumber(value: unknown): boolean {
  return typeof value !== 'number' || Number.isFinite(value);
}
