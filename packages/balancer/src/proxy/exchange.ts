import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Peer } from '../backend.js';
import { admissionError } from '../edge/admission.js';
import { BodyTooLargeError, NoBackendError, ProxyError, UpstreamTimeoutError } from '../errors.js';
import { requestOrigin, upstreamHeaders } from '../headers/forwarded-headers.js';
import { BackendTries } from './backend-tries.js';
import { answerError } from './error-answer.js';
import { classifyError, failureError } from './failure.js';
import {
  CLIENT_CLOSED,
  proxiedRequest,
  type ProxiedRequest,
  type ProxyContext,
} from './proxy-context.js';
import { hasBody, readRequestBody, type RequestBody } from './request-body.js';
import { UpstreamAttempt } from './upstream-attempt.js';

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
  readonly #tries: BackendTries;
  readonly #arrivedAt = Date.now();
  #body: RequestBody = { replayable: true, data: null };
  #headers: string[] = [];
  #attempt: UpstreamAttempt | undefined;
  #gone = false;
  #timer: NodeJS.Timeout | undefined;
  #reported = false;

  constructor(proxy: ProxyContext, req: IncomingMessage, res: ServerResponse) {
    this.#proxy = proxy;
    this.#req = req;
    this.#res = res;
    this.#request = proxiedRequest(req, proxy.forwarding);
    this.#tries = new BackendTries(proxy, req, this.#request);
  }

  async run(): Promise<void> {
    this.#res.once('close', () => {
      if (!this.#res.writableFinished) this.#clientLeft();
    });
    const refused = admissionError(this.#req, this.#proxy.client);
    if (refused) return this.#answer(refused, undefined, true);
    // Most requests have no body: they go on without a turn of the event loop.
    if (hasBody(this.#req)) {
      try {
        this.#body = await readRequestBody(this.#req, this.#proxy.retryBodyLimit, {
          maxBodySize: this.#proxy.client.maxBodySize,
          exceeded: (error) => this.#bodyTooLarge(error),
        });
      } catch (error) {
        if (error instanceof BodyTooLargeError) return this.#answer(error, undefined, true);
        this.#clientLeft(); // the client went away while sending its body
        return;
      }
    }
    this.#tries.state.replayable = this.#body.replayable;
    this.#tries.state.startedAt = Date.now();
    this.#headers = upstreamHeaders(
      this.#req,
      this.#proxy.forwarding,
      requestOrigin(this.#req, this.#request.requestId),
    );
    const { totalMs } = this.#proxy.timeouts;
    if (totalMs > 0) this.#timer = setTimeout(() => this.#totalTimeout(), totalMs);
    try {
      await this.#tryBackends();
    } finally {
      clearTimeout(this.#timer);
    }
  }

  async #tryBackends(): Promise<void> {
    let peer = this.#tries.first();
    if (!peer) return this.#answer(new NoBackendError());
    for (;;) {
      const attempt = this.#start(peer);
      const result = await attempt.result;
      if (result.forwarded) return this.#forwarded(attempt, result.status);
      if (this.#gone) return;
      const { failure } = result;
      if (failure.kind === 'client') return this.#answer(failure.error, undefined, true);
      if (this.#tries.staleRetry(failure)) continue; // the same backend, a fresh connection
      const after = this.#tries.failed(peer, failure);
      if ('error' in after) return this.#answer(after.error, peer);
      peer = after.next;
    }
  }

  #start(peer: Peer): UpstreamAttempt {
    const attempt = new UpstreamAttempt(peer, this.#res, this.#proxy.forwarding.via, (s, h) =>
      this.#tries.accepts(peer, s, h),
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

  async #forwarded(attempt: UpstreamAttempt, status: number): Promise<void> {
    const { peer } = attempt;
    this.#tries.answered(peer, status);
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

  /** `close` when the request's body is left unread: the connection cannot carry another. */
  #answer(error: ProxyError, backend?: Peer, close = false): void {
    if (this.#gone) return;
    answerError(this.#req, this.#res, error, {
      requestIdHeader: this.#proxy.forwarding.requestIdHeader,
      requestId: this.#request.requestId,
      retryAfterSeconds: this.#proxy.retryAfterSeconds,
      close,
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

  /** A streamed body went over `client.maxBodySize`: its try stops, and the client gets 413. */
  #bodyTooLarge(error: BodyTooLargeError): void {
    this.#attempt?.cancel({ kind: 'client', sent: true, error, cause: error });
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
