import { checkDuration, checkInteger } from '@koa-fleet/errors';
import { checkOptionObject } from '../internal/option-object.js';
import type { ResolvedTimeouts } from '../proxy/timeouts.js';
import { UpstreamConnection, type ConnectionOwner } from './upstream-connection.js';
import type { UpstreamHandler, UpstreamRequest } from './upstream-handler.js';
import { UpstreamIoError } from './upstream-io-error.js';

/** The pooled connections to each backend (nginx's `keepalive`). */
export interface KeepAliveOptions {
  /** Connections to one backend at most; more requests wait for one. Default 64. */
  connections?: number;
  /**
   * How long an unused connection is kept. Default '4s': below Node's 5 s `keepAliveTimeout`, so
   * the balancer, not the backend, closes an idle connection and never writes to one the backend
   * is closing. A backend's `Keep-Alive: timeout=N` hint lowers it further (to 2 s less).
   */
  idleTimeout?: number | string;
}

export interface ResolvedKeepAlive {
  connections: number;
  idleTimeoutMs: number;
}

const KEEP_ALIVE_KEYS = Object.keys({
  connections: true,
  idleTimeout: true,
} satisfies Record<keyof KeepAliveOptions, true>);

export function resolveKeepAlive(input: unknown): ResolvedKeepAlive {
  const given = checkOptionObject<KeepAliveOptions>('keepAlive', input, KEEP_ALIVE_KEYS);
  return {
    connections: checkInteger('keepAlive.connections', given.connections ?? 64, { min: 1 }),
    idleTimeoutMs: checkDuration('keepAlive.idleTimeout', given.idleTimeout ?? 4_000, { min: 1 }),
  };
}

interface Waiting {
  request: UpstreamRequest;
  handler: UpstreamHandler;
}

/**
 * Keep-alive connections to one backend: at most `connections` sockets, each carrying one
 * request at a time; a request waits in line when all are busy. The most recently used idle
 * socket goes first (it is the least likely to have been closed by the backend meanwhile).
 *
 * Why not undici's Pool, which the balancer used first: measured on the bench machine, undici
 * cost a proxied request as much CPU again as everything else the balancer does (a raw socket
 * with this parser: ≈45 µs a request; through undici: ≈87 µs), and a proxy needs only this much
 * of an HTTP client — one origin, HTTP/1.1, bodies passed through, not decoded.
 */
export class UpstreamPool implements ConnectionOwner {
  readonly #origin: URL;
  readonly #keepAlive: ResolvedKeepAlive;
  readonly #timeouts: ResolvedTimeouts;
  readonly #all = new Set<UpstreamConnection>();
  readonly #idle: UpstreamConnection[] = [];
  readonly #waiting: Waiting[] = [];
  #closing: { promise: Promise<void>; resolve: () => void } | undefined;

  constructor(origin: string, keepAlive: ResolvedKeepAlive, timeouts: ResolvedTimeouts) {
    this.#origin = new URL(origin);
    this.#keepAlive = keepAlive;
    this.#timeouts = timeouts;
  }

  dispatch(request: UpstreamRequest, handler: UpstreamHandler): void {
    if (this.#closing) {
      handler.onResponseError(undefined, new UpstreamIoError('closed', 'the pool is closed'));
      return;
    }
    const idle = this.#idle.pop();
    if (idle) {
      idle.start(request, handler);
    } else if (this.#all.size < this.#keepAlive.connections) {
      this.#open().start(request, handler);
    } else {
      this.#waiting.push({ request, handler });
    }
  }

  released(connection: UpstreamConnection, keepAliveTimeoutMs: number | undefined): void {
    const next = this.#waiting.shift();
    if (next) {
      connection.start(next.request, next.handler);
      return;
    }
    if (this.#closing) {
      connection.destroy(new UpstreamIoError('closed', 'the pool is closed'));
      return;
    }
    const hint = keepAliveTimeoutMs;
    const hinted = hint === undefined ? Infinity : hint > 2_000 ? hint - 2_000 : hint / 2;
    connection.idleFor(Math.max(1, Math.min(this.#keepAlive.idleTimeoutMs, hinted)));
    this.#idle.push(connection);
  }

  closed(connection: UpstreamConnection): void {
    this.#all.delete(connection);
    const at = this.#idle.indexOf(connection);
    if (at !== -1) this.#idle.splice(at, 1);
    const next = this.#waiting.shift();
    if (next) this.#open().start(next.request, next.handler);
    if (this.#closing && this.#all.size === 0) this.#closing.resolve();
  }

  /** Lets the requests in flight finish, closes every connection, and resolves once all are. */
  close(): Promise<void> {
    if (!this.#closing) {
      let resolve!: () => void;
      const promise = new Promise<void>((done) => (resolve = done));
      this.#closing = { promise, resolve };
      for (const idle of this.#idle.splice(0)) {
        idle.destroy(new UpstreamIoError('closed', 'the pool is closed'));
      }
      if (this.#all.size === 0) resolve();
    }
    return this.#closing.promise;
  }

  /** Closes every connection now; requests on them, or waiting, fail. */
  destroy(): Promise<void> {
    const closing = this.close();
    const error = new UpstreamIoError('closed', 'the balancer is closing');
    for (const waiting of this.#waiting.splice(0))
      waiting.handler.onResponseError(undefined, error);
    for (const connection of [...this.#all]) connection.destroy(error);
    return closing;
  }

  #open(): UpstreamConnection {
    const connection = new UpstreamConnection(this.#origin, this.#timeouts, this);
    this.#all.add(connection);
    return connection;
  }
}
