import {
  SessionConflictError,
  SessionTooLargeError,
  SessionUnavailableError,
  SessionUsageError,
} from './errors.js';
import type {
  AtomicKind,
  AtomicOutcome,
  SessionBackend,
  StoredFields,
  WriteOutcome,
} from './internal/backend.js';
import { META_FIELD } from './internal/backend.js';
import { diffFields, hasNoChanges, toWriteCommand } from './internal/diff.js';
import { classifyFailure } from './internal/failure.js';
import { SessionMetrics } from './internal/metrics.js';
import { OutageLog } from './internal/outage-log.js';
import {
  getSnapshot,
  recordDestroyed,
  recordSaved,
  setSnapshot,
  type Snapshot,
} from './internal/request-state.js';
import { isValidSessionId, SESSION_ID_RULE } from './internal/session-id.js';
import { canSkipSave } from './internal/skip-save.js';
import { decodeStored, type DecodedSession } from './internal/decode.js';
import { splitSession, toMeta } from './internal/session-shape.js';
import { jsonSerializer } from './serializer.js';
import type { ResolvedStoreOptions } from './store-options.js';

/** The per-call options koa-session passes; `ctx` is what ties a write to what its request read. */
export interface StoreCallOptions {
  ctx?: object;
  rolling?: boolean;
  changed?: boolean;
}

/**
 * A koa-session external store (`get`/`set`/`destroy`) that stores each session field by field
 * and writes only what the request changed. Created by `redisStore()`, `memoryStore()` or
 * `embeddedStore()`; pass it as koa-session's `store`, or to the `session()` helper.
 */
export class SessionStore {
  readonly #backend: SessionBackend;
  readonly #options: ResolvedStoreOptions;
  readonly #metrics: SessionMetrics;
  readonly #outages: OutageLog;

  /** @internal use a factory: redisStore(), memoryStore() or embeddedStore(). */
  constructor(backend: SessionBackend, options: ResolvedStoreOptions) {
    this.#backend = backend;
    this.#options = options;
    this.#metrics = new SessionMetrics(options.registry, backend.kind);
    this.#outages = new OutageLog(options.logger, backend.kind);
  }

  /** `'redis'`, `'memory'` or `'embedded'`. */
  get kind(): string {
    return this.#backend.kind;
  }

  async get(
    id: string,
    _maxAge?: unknown,
    { ctx }: StoreCallOptions = {},
  ): Promise<Record<string, unknown> | null> {
    if (!isValidSessionId(id)) {
      // A forged or malformed cookie never reaches a key; koa-session starts a new session.
      this.#metrics.event('invalid_id');
      return null;
    }
    const stored = await this.#call('get', () => this.#backend.read(id));
    if (!stored) return null;
    const { data, fields } = this.#decode(id, stored);
    setSnapshot(ctx, id, { fields, existed: true, expire: numberOrUndefined(data._expire) });
    return data;
  }

  async set(
    id: string,
    session: Record<string, unknown>,
    maxAge?: unknown,
    { ctx, changed, rolling }: StoreCallOptions = {},
  ): Promise<void> {
    checkIdToWrite('set', id);
    const { user, meta } = splitSession(session);
    const current: StoredFields = {};
    for (const [field, value] of Object.entries(user)) {
      const text = this.#options.serializer.stringify(value);
      if (text !== undefined) current[field] = text;
    }
    const base: Snapshot = getSnapshot(ctx, id) ?? { fields: {}, existed: false };
    const changes = diffFields(base, current);
    if (changed && !rolling && hasNoChanges(changes) && canSkipSave(base, maxAge)) {
      // koa-session saw changes, but atomic helpers already stored every one of them.
      return;
    }
    if (Object.keys(changes.set).length > 0) this.#checkSize(current);
    // `changed: false` (rolling, renew) yields no changed fields: only meta and TTL are written.
    const command = toWriteCommand(changes, [META_FIELD, toMeta(meta)], {
      mustExist: base.existed,
      ttlMs: this.#ttl(maxAge),
      compareAndSet: this.#options.compareAndSet,
    });
    const outcome: WriteOutcome = await this.#call('set', () => this.#backend.write(id, command));
    if (outcome.status === 'conflict') {
      this.#metrics.event('conflict');
      throw new SessionConflictError(
        `session fields changed by another request since this one read them: ${outcome.fields.join(', ')}`,
        outcome.fields,
      );
    }
    if (outcome.status === 'gone') {
      // Destroyed (logout, regenerate) or expired after this request read it: never resurrect.
      this.#metrics.event('gone');
      return;
    }
    setSnapshot(ctx, id, {
      fields: current,
      existed: true,
      expire: numberOrUndefined(meta._expire),
    });
    recordSaved(ctx, id);
  }

  async destroy(id: string, { ctx }: StoreCallOptions = {}): Promise<void> {
    checkIdToWrite('destroy', id);
    await this.#call('destroy', () => this.#backend.destroy(id));
    setSnapshot(ctx, id, { fields: {}, existed: false });
    recordDestroyed(ctx, id);
  }

  /** Resolves when the backend answers; throws SessionUnavailableError when it does not. */
  async ping(): Promise<void> {
    await this.#call('ping', () => this.#backend.ping());
  }

  /**
   * One atomic read-modify-write of one field in one round trip (see `incr`, `append`,
   * `addToSet`). Returns the field's new value and records it as read, so the request's own
   * commit does not write the field again.
   */
  async atomic(
    ctx: object,
    sessionId: string,
    kind: AtomicKind,
    field: string,
    value: unknown,
  ): Promise<unknown> {
    if (this.#options.serializer !== jsonSerializer) {
      throw new SessionUsageError(`${kind}() needs the default JSON serializer`);
    }
    checkIdToWrite(kind, sessionId);
    const base = getSnapshot(ctx, sessionId) ?? { fields: {}, existed: false };
    const outcome: AtomicOutcome = await this.#call(kind, () =>
      this.#backend.atomic(sessionId, {
        kind,
        field,
        value: kind === 'incr' ? String(value) : JSON.stringify(value),
        mustExist: base.existed,
        ttlMs: this.#options.ttlMs,
      }),
    );
    if (outcome.status === 'gone') {
      this.#metrics.event('gone');
      throw new SessionConflictError(`${kind}(): the session was destroyed by another request`);
    }
    if (outcome.status === 'wrong-type') {
      const expected = kind === 'incr' ? 'an integer' : 'an array';
      throw new SessionUsageError(`${kind}(): session field "${field}" does not hold ${expected}`);
    }
    setSnapshot(ctx, sessionId, {
      ...base,
      fields: { ...base.fields, [field]: outcome.value },
      existed: true,
    });
    return JSON.parse(outcome.value) as unknown;
  }

  #decode(id: string, stored: StoredFields): DecodedSession {
    return decodeStored(stored, this.#options.serializer, (field, error) => {
      this.#metrics.event('corrupt');
      this.#options.logger.warn(
        { sessionId: id, field, backend: this.#backend.kind, err: error },
        'corrupt session field ignored',
      );
    });
  }

  #checkSize(current: StoredFields): void {
    let bytes = 0;
    for (const [field, text] of Object.entries(current)) {
      bytes += Buffer.byteLength(field) + Buffer.byteLength(text);
    }
    if (bytes > this.#options.maxBytes) {
      this.#metrics.event('too_large');
      throw new SessionTooLargeError(bytes, this.#options.maxBytes);
    }
  }

  #ttl(maxAge: unknown): number {
    return typeof maxAge === 'number' && maxAge > 0 ? Math.ceil(maxAge) : this.#options.ttlMs;
  }

  async #call<T>(op: string, run: () => Promise<T>): Promise<T> {
    // Without a registry nothing is recorded, so the clock is not read either (hot path).
    const started = this.#metrics.enabled ? process.hrtime.bigint() : undefined;
    let failed = false;
    try {
      return await run();
    } catch (error) {
      failed = true;
      const failure = classifyFailure(error, this.#options.retryAfterSeconds);
      if (failure instanceof SessionUnavailableError && failure !== error) {
        this.#outages.report(op, error);
      }
      throw failure;
    } finally {
      if (started !== undefined) {
        const seconds = Number(process.hrtime.bigint() - started) / 1e9;
        this.#metrics.operation(op, seconds, failed);
      }
    }
  }
}

/**
 * An id handed to set/destroy/atomic was made on the server (koa-session's genid or prefix, or
 * read by get, which answers null for any other): one outside the rule is a configuration
 * error, refused loudly — never written under a key get could not read back.
 */
function checkIdToWrite(op: string, id: unknown): void {
  if (isValidSessionId(id)) return;
  const shown = typeof id === 'string' && id.length > 40 ? `${id.slice(0, 40)}…` : id;
  throw new SessionUsageError(
    `${op}(): session id ${JSON.stringify(shown)} is not ${SESSION_ID_RULE} — ` +
      "check koa-session's genid or prefix",
  );
}

function numberOrUndefined(value: unknown): number | undefined {
  return typeof value === 'number' ? value : undefined;
}
