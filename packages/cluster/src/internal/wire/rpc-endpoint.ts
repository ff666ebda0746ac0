import type { FleetError } from '@koa-fleet/errors';
import {
  IpcClosedError,
  IpcNoHandlerError,
  IpcRemoteError,
  IpcTimeoutError,
  IpcUnknownTypeError,
} from '../../errors.js';
import { handlerOf } from './handler-map.js';
import type { Message, ReplyMessage } from './protocol.js';
import { parseMessage } from './protocol.js';

export type Answer = (type: string, payload: unknown) => unknown;

export interface RpcEndpointOptions {
  /** Puts a message on the channel; throws or returns false when the channel is gone. */
  send(message: Message): void;
  /** The local handler for a namespace, if any. */
  handlerFor(namespace: string): Answer | undefined;
  /** A broadcast (cast) arrived. */
  onCast(namespace: string, type: string, payload: unknown): void;
  /** A koa-fleet message that does not parse: logged by the owner, never thrown. */
  onMalformed(reason: string, raw: unknown): void;
  defaultTimeout: number;
}

/** The errors the cluster itself answers with, rebuilt as their own class for the requester. */
const CLUSTER_ERRORS: { readonly [code: string]: (namespace: string, type: string) => FleetError } =
  {
    KF_IPC_NO_HANDLER: (namespace) => new IpcNoHandlerError(namespace),
    KF_IPC_UNKNOWN_TYPE: (namespace, type) => new IpcUnknownTypeError(namespace, type),
  };

interface Pending {
  resolve(value: unknown): void;
  reject(error: Error): void;
  timer: NodeJS.Timeout;
  namespace: string;
  type: string;
}

/**
 * One end of a request/response channel. The worker has one (to the primary); the primary has
 * one per worker — the same logic serves both directions.
 */
export class RpcEndpoint {
  readonly #options: RpcEndpointOptions;
  readonly #pending = new Map<number, Pending>();
  #nextId = 1;
  #closed = false;

  constructor(options: RpcEndpointOptions) {
    this.#options = options;
  }

  request(namespace: string, type: string, payload?: unknown, timeout?: number): Promise<unknown> {
    if (this.#closed) return Promise.reject(new IpcClosedError(namespace, type));
    const id = this.#nextId++;
    const limit = timeout ?? this.#options.defaultTimeout;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#pending.delete(id);
        reject(new IpcTimeoutError(namespace, type, limit));
      }, limit);
      this.#pending.set(id, { resolve, reject, timer, namespace, type });
      if (!this.#trySend({ kf: 1, kind: 'req', id, namespace, type, payload })) {
        this.#settle(id)?.reject(new IpcClosedError(namespace, type));
      }
    });
  }

  cast(namespace: string, type: string, payload?: unknown): boolean {
    if (this.#closed) return false;
    return this.#trySend({ kf: 1, kind: 'cast', id: 0, namespace, type, payload });
  }

  /** Feeds one raw message from the channel; returns false when it was not koa-fleet's. */
  receive(raw: unknown): boolean {
    const parsed = parseMessage(raw);
    if (parsed.kind === 'foreign') return false;
    if (parsed.kind === 'malformed') {
      this.#options.onMalformed(parsed.reason, raw);
      return true;
    }
    const message = parsed.message;
    if (message.kind === 'cast') {
      this.#options.onCast(message.namespace, message.type, message.payload);
    } else if (message.kind === 'res') {
      this.#onReply(message);
    } else {
      void this.#answer(message.id, message.namespace, message.type, message.payload);
    }
    return true;
  }

  /** Rejects every pending request: the other side is gone. */
  close(): void {
    this.#closed = true;
    for (const id of [...this.#pending.keys()]) {
      const pending = this.#settle(id);
      pending?.reject(new IpcClosedError(pending.namespace, pending.type));
    }
  }

  #onReply(message: ReplyMessage): void {
    const pending = this.#settle(message.id);
    if (!pending) return; // timed out already
    if (message.ok) return pending.resolve(message.payload);
    const { code, message: text } = message.error;
    const own = code === undefined ? undefined : handlerOf(CLUSTER_ERRORS, code);
    pending.reject(own ? own(message.namespace, message.type) : new IpcRemoteError(text, code));
  }

  async #answer(id: number, namespace: string, type: string, payload: unknown): Promise<void> {
    const base = { kf: 1, kind: 'res', id, namespace, type } as const;
    const handler = this.#options.handlerFor(namespace);
    if (!handler) {
      const error = new IpcNoHandlerError(namespace);
      this.#trySend({ ...base, ok: false, error: { message: error.message, code: error.code } });
      return;
    }
    try {
      const value = await handler(type, payload);
      this.#trySend({ ...base, ok: true, payload: value });
    } catch (error) {
      const err = error instanceof Error ? error : new Error(String(error));
      const code = (err as { code?: unknown }).code;
      this.#trySend({
        ...base,
        ok: false,
        error: { message: err.message, ...(typeof code === 'string' ? { code } : {}) },
      });
    }
  }

  #settle(id: number): Pending | undefined {
    const pending = this.#pending.get(id);
    if (!pending) return undefined;
    clearTimeout(pending.timer);
    this.#pending.delete(id);
    return pending;
  }

  #trySend(message: Message): boolean {
    try {
      this.#options.send(message);
      return true;
    } catch {
      return false; // channel closed: the caller turns this into IpcClosedError
    }
  }
}
