import type { IncomingHttpHeaders, ServerResponse } from 'node:http';
import type { Peer } from '../backend.js';
import { downstreamHeaders } from '../headers/response-headers.js';
import type {
  ConnectionUse,
  UpstreamController,
  UpstreamHandler,
  UpstreamRequest,
} from '../upstream/upstream-handler.js';
import type { UpstreamPool } from '../upstream/upstream-pool.js';
import type { Failure } from './failure.js';
import { PooledTry } from './pooled-try.js';

export type AttemptResult =
  { forwarded: true; status: number } | { forwarded: false; failure: Failure };

/**
 * One try of a request on one backend, as a handler on the backend's pool: the response goes
 * from the parser straight to the client's socket (no Readable in between), and back-pressure is
 * the controller's pause()/resume() when the client's socket is full.
 *
 * Nothing reaches the client before `forward(status)` says so, so until then a failure can still
 * go to another backend; after it, the response is the client's, and a failure cuts it short.
 */
export class UpstreamAttempt implements UpstreamHandler {
  readonly peer: Peer;
  /** Settles when the response is handed to the client, or when the try failed before. */
  readonly result: Promise<AttemptResult>;
  /** Settles when the try is over (the backend is free again), with a failure after forwarding. */
  readonly done: Promise<Error | undefined>;
  readonly #try: PooledTry<AttemptResult, Error | undefined>;
  readonly #res: ServerResponse;
  readonly #via: string | undefined;
  readonly #forward: (status: number, headers: IncomingHttpHeaders) => boolean;
  #forwarded = false;

  constructor(
    peer: Peer,
    res: ServerResponse,
    via: string | undefined,
    forward: (status: number, headers: IncomingHttpHeaders) => boolean,
  ) {
    this.#try = new PooledTry(peer);
    this.peer = peer;
    this.result = this.#try.result;
    this.done = this.#try.done;
    this.#res = res;
    this.#via = via;
    this.#forward = forward;
  }

  send(pool: UpstreamPool, request: UpstreamRequest): void {
    this.#try.dispatch(pool, request, this);
  }

  /** Stops the try (the client left, or a timeout): `failure` is its result if nothing was forwarded. */
  cancel(failure: Failure & { cause: Error }): void {
    this.#try.cancel(failure.cause, { forwarded: false, failure });
  }

  onRequestStart(controller: UpstreamController, connection: ConnectionUse): void {
    this.#try.started(controller, connection);
  }

  onResponseStart(
    controller: UpstreamController,
    status: number,
    headers: IncomingHttpHeaders,
    statusMessage: string,
  ): void {
    if (this.#try.settled) return;
    if (!this.#forward(status, headers)) {
      this.#try.settle({ forwarded: false, failure: { kind: 'status', sent: true, status } });
      controller.abort(new Error(`retrying status ${status} on the next backend`));
      return;
    }
    try {
      this.#res.writeHead(status, statusMessage, downstreamHeaders(headers, this.#via));
    } catch (error) {
      // A header value Node will not write (the parser is more lenient): not valid HTTP for us.
      this.#try.settle({
        forwarded: false,
        failure: { kind: 'invalid', sent: true, reused: false, cause: error as Error },
      });
      controller.abort(error as Error);
      return;
    }
    this.#forwarded = true;
    this.#try.settle({ forwarded: true, status });
  }

  onResponseData(_controller: UpstreamController, chunk: Buffer): void {
    if (!this.#forwarded || this.#res.destroyed) return;
    this.#try.write(this.#res, chunk);
  }

  onResponseEnd(): void {
    if (this.#forwarded) this.#res.end();
    this.#try.end(undefined);
  }

  onResponseError(_controller: UpstreamController | undefined, error: Error): void {
    if (this.#forwarded) {
      // The client has part of the response: all that is left is to cut it short.
      this.#res.destroy(error);
      this.#try.end(this.#try.cancelled ?? error);
      return;
    }
    this.#try.settle({ forwarded: false, failure: this.#try.failure(error) });
    this.#try.end(undefined);
  }

  onInformational(status: number, headers: IncomingHttpHeaders): void {
    if (this.#try.settled) return;
    try {
      if (status === 102) this.#res.writeProcessing();
      else if (status === 103 && headers.link) {
        this.#res.writeEarlyHints(downstreamHeaders(headers, undefined) as Record<string, string>);
      }
    } catch {
      // An early hint Node will not write is only a hint: the final response still comes.
    }
  }
}
