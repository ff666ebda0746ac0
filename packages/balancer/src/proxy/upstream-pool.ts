import { checkDuration, checkInteger } from '@koa-fleet/errors';
import { Client, Pool, type Dispatcher } from 'undici';
import { checkOptionObject } from '../internal/option-object.js';
import type { ResolvedTimeouts } from './timeouts.js';

/** The pooled connections to each backend (nginx's `keepalive`). */
export interface KeepAliveOptions {
  /** Connections to one backend at most; more requests wait for one. Default 64. */
  connections?: number;
  /**
   * How long an unused connection is kept. Default '4s': below Node's 5 s `keepAliveTimeout`, so
   * the balancer, not the backend, closes an idle connection and never writes to one the backend
   * is closing. A backend's `Keep-Alive: timeout=N` hint lowers it further (undici keeps 2 s less).
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

/** Responses completed on one client's current socket; 0 right after it (re)connects. */
export interface ConnectionUse {
  served: number;
}

/** A dispatch that wants to know which connection carries it (see TrackedClient). */
export interface TrackedDispatch extends Dispatcher.DispatchOptions {
  onConnection?: (use: ConnectionUse) => void;
}

/**
 * An undici Client (one connection) that tells each dispatch which connection it goes out on,
 * so a failure can tell a reused keep-alive socket the backend had closed from a fresh one that
 * failed. undici does not expose the socket to a handler; the Pool hands our options object
 * through unchanged, so it carries the question.
 */
class TrackedClient extends Client {
  readonly #use: ConnectionUse = { served: 0 };

  constructor(origin: URL, options: Client.Options) {
    super(origin, options);
    // 'connect' fires before the request waiting for the new socket is written.
    this.on('connect', () => (this.#use.served = 0));
  }

  override dispatch(options: TrackedDispatch, handler: Dispatcher.DispatchHandler): boolean {
    options.onConnection?.(this.#use);
    return super.dispatch(options, handler);
  }
}

/**
 * Keep-alive connections to one backend: an undici Pool of at most `connections` clients, one
 * socket each, HTTP/1.1 without pipelining (a slow response must not hold up the next).
 */
export function createUpstreamPool(
  origin: string,
  keepAlive: ResolvedKeepAlive,
  timeouts: ResolvedTimeouts,
): Pool {
  return new Pool(origin, {
    connections: keepAlive.connections,
    pipelining: 1,
    keepAliveTimeout: keepAlive.idleTimeoutMs,
    keepAliveMaxTimeout: keepAlive.idleTimeoutMs,
    connectTimeout: timeouts.connectMs,
    headersTimeout: timeouts.headersMs,
    bodyTimeout: timeouts.idleMs,
    factory: (url, options) => new TrackedClient(url, options),
  });
}
