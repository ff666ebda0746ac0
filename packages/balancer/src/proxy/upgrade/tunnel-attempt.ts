import type { IncomingHttpHeaders } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Peer } from '../../backend.js';
import { downstreamHeaders } from '../../headers/response-headers.js';
import type {
  ConnectionUse,
  UpstreamController,
  UpstreamHandler,
  UpstreamRequest,
} from '../../upstream/upstream-handler.js';
import type { UpstreamPool } from '../../upstream/upstream-pool.js';
import type { Failure } from '../failure.js';
import { PooledTry } from '../pooled-try.js';
import { responseHead } from './raw-response.js';
import { openTunnel } from './tunnel.js';

/**
 * How a try of an upgrade ended: the backend switched protocols (the tunnel is open), answered
 * with a plain response (passed on to the client, as its refusal), or failed before either.
 */
export type TunnelResult =
  | { kind: 'switched' }
  | { kind: 'answered'; status: number }
  | { kind: 'failed'; failure: Failure };

/**
 * One try of an upgrade request (`Upgrade: websocket`, …) on one backend, as a handler on the
 * backend's pool, so connect and headers timeouts and the pool's sockets are the plain requests'
 * own. A 101 hands the pool's socket over and joins it to the client's; any other
 * answer is the backend's refusal and reaches the client as it is, then both connections close.
 * The backend counts the try as a request in flight (least-conn, `maxConns`) until the tunnel
 * or the answer is over.
 */
export class TunnelAttempt implements UpstreamHandler {
  readonly peer: Peer;
  /** Settles once the client has the 101 or the answer's head, or when the try failed first. */
  readonly result: Promise<TunnelResult>;
  /** Settles when the try is over: the tunnel closed, the answer ended, or it failed. */
  readonly done: Promise<void>;
  readonly #try: PooledTry<TunnelResult, void>;
  readonly #client: Duplex;
  readonly #handOver: () => Buffer;
  readonly #via: string | undefined;
  readonly #accepts: (status: number, headers: IncomingHttpHeaders) => boolean;
  #answering = false;
  #switched = false;

  /**
   * `handOver` is called at the switch: the exchange stops reading the client's socket and gives
   * the bytes it sent after its request, the tunnel's first.
   */
  constructor(
    peer: Peer,
    client: Duplex,
    handOver: () => Buffer,
    via: string | undefined,
    accepts: (status: number, headers: IncomingHttpHeaders) => boolean,
  ) {
    this.#try = new PooledTry(peer);
    this.peer = peer;
    this.result = this.#try.result;
    this.done = this.#try.done;
    this.#client = client;
    this.#handOver = handOver;
    this.#via = via;
    this.#accepts = accepts;
  }

  send(pool: UpstreamPool, request: UpstreamRequest & { upgrade: string }): void {
    // `reset`: the connection of a refused upgrade is closed with its answer, never pooled.
    this.#try.dispatch(pool, { ...request, reset: true }, this);
  }

  /** Stops the try (the client left): a tunnel, once open, closes by itself instead. */
  cancel(failure: Failure & { cause: Error }): void {
    if (this.#switched || this.#try.ended) return;
    this.#try.cancel(failure.cause, { kind: 'failed', failure });
  }

  onRequestStart(controller: UpstreamController, connection: ConnectionUse): void {
    this.#try.started(controller, connection);
  }

  onRequestUpgrade(
    _controller: UpstreamController,
    status: number,
    headers: IncomingHttpHeaders,
    socket: Duplex,
  ): void {
    if (this.#try.settled) {
      socket.destroy(); // cancelled while the backend switched
      this.#try.end();
      return;
    }
    this.#accepts(status, headers); // a 101 is taken; a drain header still counts
    const out = downstreamHeaders(headers, this.#via);
    // Hop-by-hop, but what this hop is about: the client switches with the backend.
    out.connection = 'upgrade';
    if (headers.upgrade !== undefined) out.upgrade = headers.upgrade;
    this.#client.write(responseHead(status, undefined, out));
    this.#switched = true;
    this.#try.settle({ kind: 'switched' });
    void openTunnel(this.#client, socket, this.#handOver()).then(() => this.#try.end());
  }

  onResponseStart(
    controller: UpstreamController,
    status: number,
    headers: IncomingHttpHeaders,
    statusMessage: string,
  ): void {
    if (this.#try.settled) return;
    if (!this.#accepts(status, headers)) {
      this.#try.settle({ kind: 'failed', failure: { kind: 'status', sent: true, status } });
      controller.abort(new Error(`retrying status ${status} on the next backend`));
      return;
    }
    const out = downstreamHeaders(headers, this.#via);
    // The client's connection left HTTP with its upgrade request: the answer is its last.
    out.connection = 'close';
    this.#client.write(responseHead(status, statusMessage, out));
    this.#answering = true;
    this.#try.settle({ kind: 'answered', status });
  }

  onResponseData(_controller: UpstreamController, chunk: Buffer): void {
    if (!this.#answering || this.#client.destroyed) return;
    this.#try.write(this.#client, chunk);
  }

  onResponseEnd(): void {
    if (this.#answering) {
      // Without Content-Length the body ends with the connection (RFC 9112 §6.3 rule 8).
      this.#client.once('finish', () => this.#client.destroy());
      this.#client.end();
    }
    this.#try.end();
  }

  onResponseError(_controller: UpstreamController | undefined, error: Error): void {
    if (this.#answering)
      this.#client.destroy(); // the client has part of the answer: cut it
    else this.#try.settle({ kind: 'failed', failure: this.#try.failure(error) });
    this.#try.end();
  }
}
