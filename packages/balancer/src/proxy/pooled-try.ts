import type { Writable } from 'node:stream';
import type { Peer } from '../backend.js';
import type {
  ConnectionUse,
  UpstreamController,
  UpstreamHandler,
  UpstreamRequest,
} from '../upstream/upstream-handler.js';
import type { UpstreamPool } from '../upstream/upstream-pool.js';
import { classifyError, type Failure } from './failure.js';

/**
 * What every try on a backend's pool keeps, whatever it does with the answer (a response passed
 * on, a tunnel opened): from dispatch to `end` it is a request in flight to the backend
 * (least-conn, `maxConns`); it learns whether it went out on a reused keep-alive socket, settles
 * `result` once, copies a body to the client with back-pressure, and can be cancelled before or
 * after the pool started it. The handlers (UpstreamAttempt, TunnelAttempt) hold one each.
 */
export class PooledTry<Result, Done> {
  readonly peer: Peer;
  /** Settles once, with the first of `settle()` and `cancel()`. */
  readonly result: Promise<Result>;
  /** Settles at `end()`: the backend is free again. */
  readonly done: Promise<Done>;
  #settle!: (result: Result) => void;
  #finish!: (done: Done) => void;
  #controller: UpstreamController | undefined;
  #reused = false;
  #sent = false;
  #settled = false;
  #cancelled: Error | undefined;
  #ended = false;
  #draining: Writable | undefined;
  #resume = () => this.#controller?.resume();

  constructor(peer: Peer) {
    this.peer = peer;
    this.result = new Promise((resolve) => (this.#settle = resolve));
    this.done = new Promise((resolve) => (this.#finish = resolve));
  }

  get settled(): boolean {
    return this.#settled;
  }

  get ended(): boolean {
    return this.#ended;
  }

  /** Why it was cancelled, if it was. */
  get cancelled(): Error | undefined {
    return this.#cancelled;
  }

  dispatch(pool: UpstreamPool, request: UpstreamRequest, handler: UpstreamHandler): void {
    this.peer.acquire();
    pool.dispatch(request, handler);
  }

  /** The handler's `onRequestStart`: the request goes out now (a cancel before it aborts it). */
  started(controller: UpstreamController, connection: ConnectionUse): void {
    this.#controller = controller;
    this.#sent = true;
    this.#reused = connection.served > 0;
    if (this.#cancelled) controller.abort(this.#cancelled);
  }

  /** Settles `result` unless it already is; false when it was. */
  settle(result: Result): boolean {
    if (this.#settled) return false;
    this.#settled = true;
    this.#settle(result);
    return true;
  }

  /** Stops the try: `result` is `outcome` unless it settled already, and the request is aborted. */
  cancel(cause: Error, outcome: Result): void {
    this.#cancelled ??= cause;
    this.settle(outcome);
    this.#controller?.abort(cause);
  }

  /** The failure a pool's error stands for: the cancel's own, or what the error says. */
  failure(error: Error): Failure {
    return this.#cancelled
      ? { kind: 'cancelled', sent: this.#sent, cause: error }
      : classifyError(error, this.#sent, this.#reused);
  }

  /** A body chunk to the client; the backend's socket pauses while the client's is full. */
  write(client: Writable, chunk: Buffer): void {
    if (client.write(chunk)) return;
    this.#controller?.pause();
    this.#draining = client;
    client.once('drain', this.#resume);
  }

  /** The try is over and the backend free again; the first call counts. */
  end(done: Done): void {
    if (this.#ended) return;
    this.#ended = true;
    this.#draining?.off('drain', this.#resume);
    this.peer.release();
    this.#finish(done);
  }
}
