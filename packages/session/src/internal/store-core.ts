import {
  SessionConflictError,
  SessionTooLargeError,
  SessionUnavailableError,
  SessionUsageError,
} from '../errors.js';
import { jsonSerializer } from '../serializer.js';
import type { ResolvedStoreOptions } from '../store-options.js';
import type { AtomicKind, AtomicOutcome, SessionBackend, StoredFields } from './backend.js';
import { META_FIELD } from './backend.js';
import { decodeStored, type DecodedSession } from './decode.js';
import { diffFields, toWriteCommand, type FieldChanges } from './diff.js';
import { classifyFailure } from './failure.js';
import type { Lifetime } from './lifetime.js';
import { SessionMetrics } from './metrics.js';
import { OutageLog } from './outage-log.js';
import { isValidSessionId, SESSION_ID_RULE } from './session-id.js';
import { metaText } from './session-meta.js';
import type { Snapshot } from './snapshot.js';

/**
 * What every use of a store runs on: load a session, tell what a request changed, save only that,
 * destroy, and the atomic helpers — with the id rule, the size cap, metrics, outage reports and
 * the errors a request is answered with. It knows no request: each caller keeps its snapshot
 * (session() in its RequestSession, koa-session's calls in the adapter) and hands it in.
 */
export class StoreCore {
  readonly #backend: SessionBackend;
  readonly #options: ResolvedStoreOptions;
  readonly #metrics: SessionMetrics;
  readonly #outages: OutageLog;

  constructor(backend: SessionBackend, options: ResolvedStoreOptions) {
    this.#backend = backend;
    this.#options = options;
    this.#metrics = new SessionMetrics(options.registry, backend.kind);
    this.#outages = new OutageLog(options.logger, backend.kind);
  }

  get kind(): string {
    return this.#backend.kind;
  }

  /** The session stored under `id`, or null: none, or an id no store would have made. */
  async load(id: string): Promise<LoadedSession | null> {
    if (!isValidSessionId(id)) {
      // A forged or malformed cookie never reaches a key; the caller starts a new session.
      this.#metrics.event('invalid_id');
      return null;
    }
    const stored = await this.#call('get', () => this.#backend.read(id));
    if (!stored) return null;
    const { data, fields, meta } = this.#decode(id, stored);
    return { data, snapshot: { fields, existed: true, meta } };
  }

  /**
   * Serializes `values` — the one time a request's fields are serialized — and tells which of
   * them differ from `snapshot`. Fields starting with `_` are never stored (koa-session's rule).
   */
  changesSince(snapshot: Snapshot, values: Readonly<Record<string, unknown>>): FieldChanges {
    const current: StoredFields = {};
    for (const field of Object.keys(values)) {
      if (field.startsWith('_')) continue;
      const text = this.#options.serializer.stringify(values[field]);
      if (text !== undefined) current[field] = text;
    }
    return diffFields(snapshot, current);
  }

  /**
   * Writes `changes` with the bookkeeping and TTL of `lifetime`; returns the snapshot a later save
   * of the same request starts from. No changed field still writes the bookkeeping and the TTL.
   */
  async save(
    id: string,
    snapshot: Snapshot,
    changes: FieldChanges,
    lifetime: Lifetime,
  ): Promise<Snapshot> {
    checkIdToWrite('set', id);
    if (Object.keys(changes.set).length > 0) this.#checkSize(changes.current);
    const command = toWriteCommand(changes, [META_FIELD, metaText(lifetime.meta)], {
      mustExist: snapshot.existed,
      ttlMs: this.#ttl(lifetime.storeMs),
      compareAndSet: this.#options.compareAndSet,
    });
    const outcome = await this.#call('set', () => this.#backend.write(id, command));
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
      return snapshot;
    }
    return { fields: changes.current, existed: true, meta: lifetime.meta };
  }

  async destroy(id: string): Promise<void> {
    checkIdToWrite('destroy', id);
    await this.#call('destroy', () => this.#backend.destroy(id));
  }

  /** Resolves when the backend answers; throws SessionUnavailableError when it does not. */
  async ping(): Promise<void> {
    await this.#call('ping', () => this.#backend.ping());
  }

  /**
   * One atomic read-modify-write of one field in one round trip (see `incr`, `append`,
   * `addToSet`), on a session that must still exist when `snapshot` says it did.
   */
  async atomic(
    id: string,
    snapshot: Snapshot,
    kind: AtomicKind,
    field: string,
    value: unknown,
  ): Promise<AtomicResult> {
    if (this.#options.serializer !== jsonSerializer) {
      throw new SessionUsageError(`${kind}() needs the default JSON serializer`);
    }
    checkIdToWrite(kind, id);
    const outcome: AtomicOutcome = await this.#call(kind, () =>
      this.#backend.atomic(id, {
        kind,
        field,
        value: kind === 'incr' ? String(value) : JSON.stringify(value),
        mustExist: snapshot.existed,
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
    return { value: JSON.parse(outcome.value) as unknown, stored: outcome.value };
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

  #ttl(storeMs: number | undefined): number {
    return storeMs !== undefined && storeMs > 0 ? Math.ceil(storeMs) : this.#options.ttlMs;
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

/** A stored session: the user's fields, and the snapshot a save of them is computed against. */
export interface LoadedSession {
  data: Record<string, unknown>;
  snapshot: Snapshot;
}

export interface AtomicResult {
  /** The field's new value. */
  value: unknown;
  /** Its stored text, for the caller's snapshot (`recordAtomic`). */
  stored: string;
}

/**
 * An id handed to a write was made on the server (session()'s, koa-session's genid or prefix,
 * or read by load, which answers null for any other): one outside the rule is a configuration
 * error, refused loudly — never written under a key load could not read back.
 */
function checkIdToWrite(op: string, id: unknown): void {
  if (isValidSessionId(id)) return;
  const shown = typeof id === 'string' && id.length > 40 ? `${id.slice(0, 40)}…` : id;
  throw new SessionUsageError(
    `${op}(): session id ${JSON.stringify(shown)} is not ${SESSION_ID_RULE} — ` +
      "check koa-session's genid or prefix",
  );
}
