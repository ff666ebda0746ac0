import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import { DRAIN_HEADER } from '@koa-fleet/contracts';
import type { Pool } from 'undici';
import type { Backend, Peer } from '../backend.js';
import type { BackendSet } from '../backend-set.js';
import { BadRequestError, NoBackendError, ProxyError, UpstreamTimeoutError } from '../errors.js';
import type { PickContext, Strategy } from '../strategies/strategy.js';
import { answerError } from './error-answer.js';
import { classifyError, failureError, type Failure } from './failure.js';
import {
  requestIdOf,
  upstreamHeaders,
  type ResolvedForwarding,
} from '../headers/forwarded-headers.js';
import { readRequestBody, type RequestBody } from './request-body.js';
import type { RetryPolicy, RetryState } from './retry-policy.js';
import type { ResolvedTimeouts } from './timeouts.js';
import { UpstreamAttempt } from './upstream-attempt.js';

/** The request as reports name it. */
export interface ProxiedRequest {
  method: string;
  url: string;
  requestId: string | undefined;
}

/** Where an exchange tells what happened (the balancer turns it into events and log lines). */
export interface ExchangeReporter {
  /** A try failed; `retried` when the request went on to another backend. */
  tryFailed(error: ProxyError, backend: Backend, request: ProxiedRequest, retried: boolean): void;
  /** The client's response is complete; 499 when the client left first (as nginx logs it). */
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
  pools: ReadonlyMap<Peer, Pool>;
  retry: RetryPolicy;
  retryBodyLimit: number;
  timeouts: ResolvedTimeouts;
  forwarding: ResolvedForwarding;
  retryAfterSeconds: number;
  reporter: ExchangeReporter;
}

/** nginx's status for the access log when the client left before its answer was complete. */
const CLIENT_CLOSED = 499;

/** The drain header as Node and undici spell header names. */
const DRAINING = DRAIN_HEADER.toLowerCase();

/**
 * A keep-alive socket the backend closed just as the request was written fails without an
 * answer; such a try is made again on a fresh connection and not counted. Bounded, since every
 * idle socket of a restarted backend may be stale at once.
 */
const MAX_STALE_RETRIES = 3;

/**
 * One client request from arrival to the end of its response: chooses a backend, tries it, and
 * goes on to the next one as the retry policy allows, then answers — the backend's response, or
 * a short error. Owns everything one request decides, so no other object keeps per-request state.
 */
export class Exchange {
  readonly #proxy: ProxyContext;
  readonly #req: IncomingMessage;
  readonly #res: ServerResponse;
  readonly #request: ProxiedRequest;
  readonly #context: PickContext;
  readonly #tried = new Set<Peer>();
  readonly #state: RetryState;
  readonly #arrivedAt = Date.now();
  #body: RequestBody = { replayable: true, data: null };
  #headers: string[] = [];
  #attempt: UpstreamAttempt | undefined;
  #staleRetries = 0;
  #gone = false;
  #timer: NodeJS.Timeout | undefined;
  #reported = false;

  constructor(proxy: ProxyContext, req: IncomingMessage, res: ServerResponse) {
    this.#proxy = proxy;
    this.#req = req;
    this.#res = res;
    const method = req.method ?? 'GET';
    this.#request = {
      method,
      url: req.url ?? '/',
      requestId: requestIdOf(req.headers, proxy.forwarding),
    };
    const socketAddress = req.socket.remoteAddress ?? '';
    const forwardedFor = req.headers['x-forwarded-for'];
    this.#context = {
      clientAddress: proxy.forwarding.trust.clientAddress(
        socketAddress,
        Array.isArray(forwardedFor) ? forwardedFor.join(',') : forwardedFor,
      ),
      headers: req.headers,
    };
    this.#state = { method, replayable: true, tries: 0, startedAt: Date.now() };
  }

  async run(): Promise<void> {
    this.#res.once('close', () => {
      if (!this.#res.writableFinished) this.#clientLeft();
    });
    if (!this.#request.url.startsWith('/')) return this.#answer(new BadRequestError());
    try {
      this.#body = await readRequestBody(this.#req, this.#proxy.retryBodyLimit);
    } catch {
      this.#clientLeft(); // the client went away while sending its body
      return;
    }
    this.#state.replayable = this.#body.replayable;
    this.#state.startedAt = Date.now();
    this.#headers = upstreamHeaders(this.#req, this.#proxy.forwarding, {
      socketAddress: this.#req.socket.remoteAddress ?? '',
      requestId: this.#request.requestId,
    });
    const { totalMs } = this.#proxy.timeouts;
    if (totalMs > 0) this.#timer = setTimeout(() => this.#totalTimeout(), totalMs);
    try {
      await this.#tryBackends();
    } finally {
      clearTimeout(this.#timer);
    }
  }

  async #tryBackends(): Promise<void> {
    let peer = this.#pick();
    if (!peer) return this.#answer(new NoBackendError());
    this.#state.tries = 1;
    for (;;) {
      const attempt = this.#start(peer);
      const result = await attempt.result;
      if (result.forwarded) return this.#forwarded(attempt, result.status);
      if (this.#gone) return;
      const { failure } = result;
      if (this.#isStale(failure)) {
        this.#staleRetries++;
        continue; // the same backend, on a fresh connection: not a failure, not a try
      }
      this.#tried.add(peer);
      this.#countFailure(peer, failure);
      const next = this.#proxy.retry.mayRetry(failure, this.#state) ? this.#pick() : undefined;
      const error = failureError(failure, peer.url);
      this.#proxy.reporter.tryFailed(error, peer, this.#request, next !== undefined);
      if (!next) return this.#answer(error, peer);
      peer = next;
      this.#state.tries++;
    }
  }

  #start(peer: Peer): UpstreamAttempt {
    const attempt = new UpstreamAttempt(peer, this.#res, this.#proxy.forwarding.via, (s, h) =>
      this.#shouldForward(peer, s, h),
    );
    this.#attempt = attempt;
    const body = this.#body.replayable ? this.#body.data : this.#body.stream;
    attempt.send(this.#proxy.pools.get(peer)!, {
      path: this.#request.url,
      method: this.#request.method,
      headers: this.#headers,
      body,
    });
    return attempt;
  }

  /** Called with the backend's status before anything reaches the client: false retries it. */
  #shouldForward(peer: Peer, status: number, headers: IncomingHttpHeaders): boolean {
    if (headers[DRAINING] !== undefined) peer.health.draining();
    const { retry, backends } = this.#proxy;
    if (!retry.retriesStatus(status)) return true;
    const failure: Failure = { kind: 'status', sent: true, status };
    if (!retry.mayRetry(failure, this.#state)) return true;
    return backends.candidates(new Set([...this.#tried, peer])).length === 0;
  }

  async #forwarded(attempt: UpstreamAttempt, status: number): Promise<void> {
    const { peer } = attempt;
    if (this.#proxy.retry.countsAsFailure({ kind: 'status', sent: true, status })) {
      this.#countFailure(peer, { kind: 'status', sent: true, status });
    } else {
      peer.health.succeeded();
    }
    const error = await attempt.done;
    if (error && !this.#gone) {
      const reported =
        error instanceof ProxyError
          ? error
          : failureError(classifyError(error, true, false), peer.url);
      this.#proxy.reporter.tryFailed(reported, peer, this.#request, false);
    }
    this.#responded(status, peer);
  }

  #pick(): Peer | undefined {
    const candidates = this.#proxy.backends.candidates(this.#tried);
    return candidates.length === 0
      ? undefined
      : this.#proxy.strategy.pick(this.#context, candidates);
  }

  #isStale(failure: Failure): boolean {
    return (
      failure.kind === 'reset' &&
      failure.reused &&
      this.#body.replayable &&
      this.#proxy.retry.isRetrySafe(this.#request.method) &&
      this.#staleRetries < MAX_STALE_RETRIES
    );
  }

  #countFailure(peer: Peer, failure: Failure): void {
    if (!this.#proxy.retry.countsAsFailure(failure)) return;
    peer.health.failed();
    this.#proxy.strategy.failed?.(peer);
  }

  #answer(error: ProxyError, backend?: Peer): void {
    if (this.#gone) return;
    answerError(this.#req, this.#res, error, {
      requestIdHeader: this.#proxy.forwarding.requestIdHeader,
      requestId: this.#request.requestId,
      retryAfterSeconds: this.#proxy.retryAfterSeconds,
    });
    this.#responded(error.status, backend);
  }

  #responded(status: number, backend: Peer | undefined): void {
    if (this.#reported) return;
    this.#reported = true;
    const durationMs = Date.now() - this.#arrivedAt;
    this.#proxy.reporter.responded(this.#request, status, backend, durationMs);
  }

  #totalTimeout(): void {
    const attempt = this.#attempt;
    if (!attempt) return;
    const cause = new UpstreamTimeoutError(attempt.peer.url, 'total');
    attempt.cancel({ kind: 'timeout', sent: true, phase: 'total', cause });
  }

  #clientLeft(): void {
    if (this.#gone) return;
    this.#gone = true;
    this.#responded(CLIENT_CLOSED, this.#attempt?.peer);
    this.#attempt?.cancel({
      kind: 'cancelled',
      sent: true,
      cause: new Error('the client closed the connection'),
    });
  }
}
