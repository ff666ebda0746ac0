/**
 * The seam between the koa-session-facing store (diffing, serialization, errors) and where the
 * fields live. Values are already serialized, so the Redis script, the in-memory store and the
 * IPC transport all handle plain strings.
 */

/** Field name → serialized value, as stored. */
export type StoredFields = Record<string, string>;

/** What one request wants changed, computed from what it read. */
export interface WriteCommand {
  /** Fields this request changed or added (plus the meta field). */
  set: StoredFields;
  /** Fields present in what this request read and removed since. */
  del: string[];
  /** Compare-and-set only: the value each set/deleted field had when read (`null` = absent). */
  expect: Array<[field: string, value: string | null]> | null;
  /** The request read an existing session: if it has vanished since, writing would resurrect it. */
  mustExist: boolean;
  ttlMs: number;
}

export type WriteOutcome =
  { status: 'ok' } | { status: 'gone' } | { status: 'conflict'; fields: string[] };

export type AtomicKind = 'incr' | 'append' | 'addToSet';

export interface AtomicCommand {
  kind: AtomicKind;
  field: string;
  /** incr: the integer step as text; append/addToSet: the item as JSON. */
  value: string;
  mustExist: boolean;
  /** Applied only when the operation creates the session, so it never lives forever. */
  ttlMs: number;
}

export type AtomicOutcome =
  { status: 'ok'; value: string } | { status: 'gone' } | { status: 'wrong-type' };

export interface SessionBackend {
  /** Short name used in metrics, health check names and error messages. */
  readonly kind: string;
  read(id: string): Promise<StoredFields | null>;
  write(id: string, command: WriteCommand): Promise<WriteOutcome>;
  destroy(id: string): Promise<void>;
  atomic(id: string, command: AtomicCommand): Promise<AtomicOutcome>;
  ping(): Promise<void>;
}

/** Holds koa-session's own bookkeeping (`_expire`, `_maxAge`, `_session`); never a user field. */
export const META_FIELD = '_kf_meta';
