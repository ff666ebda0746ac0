import type { IncomingMessage } from 'node:http';
import type { UpstreamPool } from '../upstream/upstream-pool.js';
import type { Backend, Peer } from '../backend.js';
import type { BackendSet } from '../backend-set.js';
import type { ResolvedClientLimits } from '../edge/client-limits.js';
import type { ProxyError } from '../errors.js';
import { requestIdOf, type ResolvedForwarding } from '../headers/forwarded-headers.js';
import type { Strategy } from '../strategies/strategy.js';
import type { RetryPolicy } from './retry-policy.js';
import type { ResolvedTimeouts } from './timeouts.js';

/** The request as reports name it. */
export interface ProxiedRequest {
  method: string;
  url: string;
  requestId: string | undefined;
}

/** Where an exchange tells what happened (the balancer turns it into events and log lines). */
export interface ExchangeReporter {
  /** A try failed; `retried` when the request went on to another backend. */
  tryFailed(error: ProxyError, backend: Peer, request: ProxiedRequest, retried: boolean): void;
  /**
   * The backend's answer goes to the client: its status, and the milliseconds from sending the
   * try to its headers. Called on every request: it must only bump counters.
   */
  answered(backend: Peer, status: number, ms: number): void;
  /**
   * The client's response is complete (for an upgrade: the tunnel is open, 101); 499 when the
   * client left first (as nginx logs it).
   */
  responded(
    request: ProxiedRequest,
    status: number,
    backend: Backend | undefined,
    durationMs: number,
  ): void;
  /** Something failed that is no backend's fault (a bug): the client's connection was cut. */
  unexpected(error: unknown): void;
}

/** What every exchange shares: the upstream, how to choose and retry, and the settings. */
export interface ProxyContext {
  backends: BackendSet;
  strategy: Strategy;
  pools: ReadonlyMap<Peer, UpstreamPool>;
  retry: RetryPolicy;
  retryBodyLimit: number;
  timeouts: ResolvedTimeouts;
  forwarding: ResolvedForwarding;
  client: ResolvedClientLimits;
  retryAfterSeconds: number;
  reporter: ExchangeReporter;
}

/** nginx's status for the access log when the client left before its answer was complete. */
export const CLIENT_CLOSED = 499;

export function proxiedRequest(
  req: IncomingMessage,
  forwarding: ResolvedForwarding,
): ProxiedRequest {
  return {
    method: req.method ?? 'GET',
    url: req.url ?? '/',
    requestId: requestIdOf(req.headers, forwarding),
  };
}
