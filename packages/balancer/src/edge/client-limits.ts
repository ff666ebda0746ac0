import type { Server, ServerOptions } from 'node:http';
import { checkBytes, checkDuration, InvalidOptionError } from '@koa-fleet/errors';
import { checkOptionObject } from '../internal/option-object.js';

/**
 * What a client may send, and how slowly (nginx's `large_client_header_buffers`,
 * `client_max_body_size`, `client_header_timeout`, `client_body_timeout`).
 */
export interface ClientLimitOptions {
  /** The request line and headers together at most; more is answered 431. Default '16kb'. */
  maxHeaderSize?: number | string;
  /** A request body at most; more is answered 413. Default 0: no limit. */
  maxBodySize?: number | string;
  /** From a request's first byte to the end of its headers; then 408 (slowloris). Default '60s'. */
  headersTimeout?: number | string;
  /** From a request's first byte to the end of its body; then 408. Default '300s'; 0: none. */
  requestTimeout?: number | string;
}

export interface ResolvedClientLimits {
  maxHeaderSize: number;
  /** 0: none. */
  maxBodySize: number;
  headersTimeoutMs: number;
  /** 0: none. */
  requestTimeoutMs: number;
}

const CLIENT_KEYS = Object.keys({
  maxHeaderSize: true,
  maxBodySize: true,
  headersTimeout: true,
  requestTimeout: true,
} satisfies Record<keyof ClientLimitOptions, true>);

export function resolveClientLimits(input: unknown): ResolvedClientLimits {
  const given = checkOptionObject<ClientLimitOptions>('client', input, CLIENT_KEYS);
  const limits = {
    maxHeaderSize: checkBytes('client.maxHeaderSize', given.maxHeaderSize ?? 16 * 1024, {
      min: 1024,
    }),
    maxBodySize: checkBytes('client.maxBodySize', given.maxBodySize ?? 0),
    headersTimeoutMs: checkDuration('client.headersTimeout', given.headersTimeout ?? 60_000, {
      min: 1,
    }),
    requestTimeoutMs: checkDuration('client.requestTimeout', given.requestTimeout ?? 300_000),
  };
  const { headersTimeoutMs, requestTimeoutMs } = limits;
  if (requestTimeoutMs > 0 && headersTimeoutMs > requestTimeoutMs) {
    // The headers are part of the request: Node's server refuses the opposite.
    throw new InvalidOptionError(
      'client.headersTimeout',
      `at most client.requestTimeout (${requestTimeoutMs} ms)`,
      given.headersTimeout,
    );
  }
  return limits;
}

/**
 * The limits as Node's server enforces them: it answers 431 and 408 itself and closes the
 * connection. It checks the timeouts on an interval (30 s by default); a quarter of the shortest
 * timeout, within 50 ms and 1 s, keeps a cut-off close to its limit for a cost of one walk over
 * the open connections.
 */
export function serverLimits(limits: ResolvedClientLimits): ServerOptions {
  const shortest = Math.min(limits.headersTimeoutMs, limits.requestTimeoutMs || Infinity);
  return {
    maxHeaderSize: limits.maxHeaderSize,
    headersTimeout: limits.headersTimeoutMs,
    requestTimeout: limits.requestTimeoutMs,
    connectionsCheckingInterval: Math.min(1_000, Math.max(50, Math.floor(shortest / 4))),
  };
}

/**
 * The same limits on a server made by someone else (a fleet worker's), before it listens: Node's
 * server reads each of these from its own properties when it listens and per connection.
 */
export function applyServerLimits(server: Server, limits: ResolvedClientLimits): void {
  Object.assign(server, serverLimits(limits));
}
