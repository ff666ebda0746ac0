import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import { DRAIN_HEADER } from '@koa-fleet/contracts';
import type { Peer } from '../backend.js';
import type { ProxyError } from '../errors.js';
import type { TrustedProxies } from '../headers/trusted-proxies.js';
import type { PickContext } from '../strategies/strategy.js';
import { failureError, type Failure } from './failure.js';
import type { ProxiedRequest, ProxyContext } from './proxy-context.js';
import type { RetryState } from './retry-policy.js';

/** The drain header as Node and the response parser spell header names (lower case). */
const DRAINING = DRAIN_HEADER.toLowerCase();

/**
 * A keep-alive socket the backend closed just as the request was written fails without an
 * answer; such a try is made again on a fresh connection and not counted. Bounded, since every
 * idle socket of a restarted backend may be stale at once.
 */
const MAX_STALE_RETRIES = 3;

/**
 * What a strategy may look at, worked out only when one does: only a hash on the client's
 * address needs it, and finding it walks X-Forwarded-For when the hop before is trusted.
 */
class RequestPickContext implements PickContext {
  readonly headers: IncomingHttpHeaders;
  readonly #req: IncomingMessage;
  readonly #trust: TrustedProxies;
  #clientAddress: string | undefined;

  constructor(req: IncomingMessage, trust: TrustedProxies) {
    this.headers = req.headers;
    this.#req = req;
    this.#trust = trust;
  }

  get clientAddress(): string {
    if (this.#clientAddress === undefined) {
      const forwardedFor = this.headers['x-forwarded-for'];
      this.#clientAddress = this.#trust.clientAddress(
        this.#req.socket.remoteAddress ?? '',
        Array.isArray(forwardedFor) ? forwardedFor.join(',') : forwardedFor,
      );
    }
    return this.#clientAddress;
  }
}

/** After a failed try: the backend to try next, or the error to answer the client with. */
export type AfterFailure = { next: Peer } | { error: ProxyError };

type TriesContext = Pick<
  ProxyContext,
  'backends' | 'strategy' | 'retry' | 'reporter' | 'forwarding'
>;

/**
 * The backends one request goes to, one after another: the strategy's choice among those it has
 * not tried yet, and after each failed try the retry policy's word on whether it goes on. A plain
 * request and an upgrade share it, so a backend is chosen, counted against and reported the same
 * way whatever the client asked for.
 */
export class BackendTries {
  readonly #proxy: TriesContext;
  readonly #request: ProxiedRequest;
  readonly #context: PickContext;
  readonly #tried = new Set<Peer>();
  #staleRetries = 0;
  /** When the try now going out began (`performance.now()`), for the backend's latency. */
  #tryStartedAt = 0;
  readonly state: RetryState;

  constructor(proxy: TriesContext, req: IncomingMessage, request: ProxiedRequest) {
    this.#proxy = proxy;
    this.#request = request;
    this.#context = new RequestPickContext(req, proxy.forwarding.trust);
    this.state = { method: request.method, replayable: true, tries: 0, startedAt: Date.now() };
  }

  /** The first backend to try, or undefined when none is available. */
  first(): Peer | undefined {
    const peer = this.#pick();
    if (peer) this.state.tries = 1;
    this.#tryStartedAt = performance.now();
    return peer;
  }

  /**
   * Called with a backend's status before anything reaches the client: false when that status
   * goes to the next backend instead. A response carrying the drain header takes its backend out
   * of rotation here, whatever its status.
   */
  accepts(peer: Peer, status: number, headers: IncomingHttpHeaders): boolean {
    if (headers[DRAINING] !== undefined) peer.health.draining();
    const { retry, backends } = this.#proxy;
    if (!retry.retriesStatus(status)) return true;
    if (!retry.mayRetry({ kind: 'status', sent: true, status }, this.state)) return true;
    return backends.candidates(new Set([...this.#tried, peer])).length === 0;
  }

  /** The backend's answer went to the client: a success, unless its status counts as a failure. */
  answered(peer: Peer, status: number): void {
    this.#proxy.reporter.answered(peer, status, performance.now() - this.#tryStartedAt);
    const failure: Failure = { kind: 'status', sent: true, status };
    if (this.#proxy.retry.countsAsFailure(failure)) this.#countFailure(peer, failure);
    else peer.health.succeeded();
  }

  /**
   * The try failed on a pooled socket the backend had closed, and the request may be sent again:
   * true when it goes to the same backend on a fresh connection, not a failure and not a try.
   */
  staleRetry(failure: Failure): boolean {
    const stale =
      failure.kind === 'reset' &&
      failure.reused &&
      this.state.replayable &&
      this.#proxy.retry.isRetrySafe(this.state.method) &&
      this.#staleRetries < MAX_STALE_RETRIES;
    if (stale) this.#staleRetries++;
    return stale;
  }

  /** A try failed: it counts against the backend, is reported, and the request goes on or ends. */
  failed(peer: Peer, failure: Failure): AfterFailure {
    this.#tried.add(peer);
    this.#countFailure(peer, failure);
    const next = this.#proxy.retry.mayRetry(failure, this.state) ? this.#pick() : undefined;
    const error = failureError(failure, peer.url);
    this.#proxy.reporter.tryFailed(error, peer, this.#request, next !== undefined);
    if (!next) return { error };
    this.state.tries++;
    this.#tryStartedAt = performance.now();
    return { next };
  }

  #pick(): Peer | undefined {
    const candidates = this.#proxy.backends.candidates(this.#tried);
    return candidates.length === 0
      ? undefined
      : this.#proxy.strategy.pick(this.#context, candidates);
  }

  #countFailure(peer: Peer, failure: Failure): void {
    if (!this.#proxy.retry.countsAsFailure(failure)) return;
    peer.health.failed();
    this.#proxy.strategy.failed?.(peer);
  }
}
