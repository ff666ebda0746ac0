import type { IncomingHttpHeaders, ServerResponse } from 'node:http';
import type { Dispatcher, Pool } from 'undici';
import type { Peer } from '../backend.js';
import { classifyError, type Failure } from './failure.js';
import { downstreamHeaders } from '../headers/response-headers.js';
import type { ConnectionUse, TrackedDispatch } from './upstream-pool.js';

export type AttemptResult =
  { forwarded: true; status: number } | { forwarded: false; failure: Failure };

/**
 * One try of a request on one backend, as an undici dispatch handler. `pool.dispatch` with a
 * handler, not `pool.request`: the response goes from undici's parser straight to the client's
 * socket (no Readable in between), and back-pressure is the controller's pause()/resume() when
 * the client's socket is full — the shape undici's own proxy-agent and fast Node proxies use.
 *
 * Nothing reaches the client before `forward(status)` says so, so until then a failure can still
 * go to another backend; after it, the response is the client's, and a failure cuts it short.
 */
export class UpstreamAttempt implements Dispatcher.DispatchHandler {
  readonly peer: Peer;
  /** Settles when the response is handed to the client, or when the try failed before. */
  readonly result: Promise<AttemptResult>;
  /** Settles when the try is over (the backend is free again), with a failure after forwarding. */
  readonly done: Promise<Error | undefined>;
  readonly #res: ServerResponse;
  readonly #via: string | undefined;
  readonly #forward: (status: number, headers: IncomingHttpHeaders) => boolean;
  #settle!: (result: AttemptResult) => void;
  #finish!: (error: Error | undefined) => void;
  #controller: Dispatcher.DispatchController | undefined;
  #use: ConnectionUse | undefined;
  #reused = false;
  #sent = false;
  #settled = false;
  #forwarded = false;
  #cancelled: Error | undefined;
  #ended = false;
  #resume = () => this.#controller?.resume();

  constructor(
    peer: Peer,
    res: ServerResponse,
    via: string | undefined,
    forward: (status: number, headers: IncomingHttpHeaders) => boolean,
  ) {
    this.peer = peer;
    this.#res = res;
    this.#via = via;
    this.#forward = forward;
    this.result = new Promise((resolve) => (this.#settle = resolve));
    this.done = new Promise((resolve) => (this.#finish = resolve));
  }

  send(pool: Pool, options: Dispatcher.DispatchOptions): void {
    this.peer.acquire();
    const tracked: TrackedDispatch = { ...options, onConnection: (use) => (this.#use = use) };
    pool.dispatch(tracked, this);
  }

  /** Stops the try (the client left, or a timeout): `failure` is its result if nothing was forwarded. */
  cancel(failure: Failure & { cause: Error }): void {
    this.#cancelled ??= failure.cause;
    this.#resolve({ forwarded: false, failure });
    this.#controller?.abort(failure.cause);
  }

  onRequestStart(controller: Dispatcher.DispatchController): void {
    this.#controller = controller;
    this.#sent = true;
    this.#reused = (this.#use?.served ?? 0) > 0;
    if (this.#cancelled) controller.abort(this.#cancelled);
  }

  onResponseStart(
    controller: Dispatcher.DispatchController,
    status: number,
    headers: IncomingHttpHeaders,
    statusMessage?: string,
  ): void {
    if (this.#settled) return;
    if (status < 200) {
      this.#informational(status, headers);
      return;
    }
    if (!this.#forward(status, headers)) {
      this.#resolve({ forwarded: false, failure: { kind: 'status', sent: true, status } });
      controller.abort(new Error(`retrying status ${status} on the next backend`));
      return;
    }
    try {
      this.#res.writeHead(status, statusMessage, downstreamHeaders(headers, this.#via));
    } catch (error) {
      // A header value Node will not write (undici is more lenient): not valid HTTP for us.
      this.#resolve({
        forwarded: false,
        failure: { kind: 'invalid', sent: true, reused: false, cause: error as Error },
      });
      controller.abort(error as Error);
      return;
    }
    this.#forwarded = true;
    this.#resolve({ forwarded: true, status });
  }

  onResponseData(controller: Dispatcher.DispatchController, chunk: Buffer): void {
    if (!this.#forwarded || this.#res.destroyed) return;
    if (!this.#res.write(chunk)) {
      controller.pause();
      this.#res.once('drain', this.#resume);
    }
  }

  onResponseEnd(): void {
    if (this.#use) this.#use.served++;
    if (this.#forwarded) this.#res.end();
    this.#end(undefined);
  }

  onResponseError(_controller: Dispatcher.DispatchController | undefined, error: Error): void {
    if (this.#forwarded) {
      // The client has part of the response: all that is left is to cut it short.
      this.#res.destroy(error);
      this.#end(this.#cancelled ?? error);
      return;
    }
    const failure: Failure = this.#cancelled
      ? { kind: 'cancelled', sent: this.#sent, cause: error }
      : classifyError(error, this.#sent, this.#reused);
    this.#resolve({ forwarded: false, failure });
    this.#end(undefined);
  }

  #informational(status: number, headers: IncomingHttpHeaders): void {
    try {
      if (status === 102) this.#res.writeProcessing();
      else if (status === 103 && headers.link) {
        this.#res.writeEarlyHints(downstreamHeaders(headers, undefined) as Record<string, string>);
      }
    } catch {
      // An early hint Node will not write is only a hint: the final response still comes.
    }
  }

  #resolve(result: AttemptResult): void {
    if (this.#settled) return;
    this.#settled = true;
    this.#settle(result);
  }

  #end(error: Error | undefined): void {
    if (this.#ended) return;
    this.#ended = true;
    this.#res.off('drain', this.#resume);
    this.peer.release();
    this.#finish(error);
  }
}
