import type { IncomingHttpHeaders } from 'node:http';
import { connect, type Socket } from 'node:net';
import type { Readable } from 'node:stream';
import { requestHead } from './request-head.js';
import { ResponseParser, type ResponseHead } from './response-parser.js';
import type {
  ConnectionUse,
  UpstreamController,
  UpstreamHandler,
  UpstreamRequest,
} from './upstream-handler.js';
import { UpstreamIoError } from './upstream-io-error.js';

/** The time limits one connection enforces, in ms. */
export interface ConnectionTimeouts {
  connectMs: number;
  /** From writing the request to the response's head. */
  headersMs: number;
  /** Between two reads of the response body. */
  idleMs: number;
}

/** What the pool learns of its connection. */
export interface ConnectionOwner {
  /** The connection finished an exchange and may carry another. */
  released(connection: UpstreamConnection, keepAliveTimeoutMs: number | undefined): void;
  /** The connection is gone (closed, failed, or handed over by an upgrade). */
  closed(connection: UpstreamConnection): void;
}

const CHUNK_END = Buffer.from('\r\n');
const LAST_CHUNK = Buffer.from('0\r\n\r\n');

/**
 * One keep-alive socket to a backend, carrying one exchange at a time (HTTP/1.1 without
 * pipelining, so a slow response never holds up another). It writes the head and a buffered
 * body in one go, feeds what the backend sends to a ResponseParser and the parser's findings to
 * the exchange's handler, and times each phase with the socket's own idle timer (no timer per
 * request). It is also the handler's controller: pause and resume are the socket's, and an
 * abort closes it.
 */
export class UpstreamConnection implements UpstreamController, ConnectionUse {
  readonly #socket: Socket;
  readonly #owner: ConnectionOwner;
  readonly #timeouts: ConnectionTimeouts;
  readonly #host: string;
  readonly #parser: ResponseParser;
  #connected = false;
  #served = 0;
  #handler: UpstreamHandler | undefined;
  #request: UpstreamRequest | undefined;
  #pendingStart: { request: UpstreamRequest; handler: UpstreamHandler } | undefined;
  #head: ResponseHead | undefined;
  /** Detaches a streamed request body (the client's request: never destroyed from here). */
  #detachBody: (() => void) | undefined;
  #closed = false;
  #handedOver = false;
  /** Inside the parser's `execute`, which may go on past the end of a response. */
  #parsing = false;
  /** The release of a response that ended within `execute`: done once `execute` returned. */
  #releaseAfterParse: (() => void) | undefined;

  constructor(origin: URL, timeouts: ConnectionTimeouts, owner: ConnectionOwner) {
    this.#owner = owner;
    this.#timeouts = timeouts;
    this.#host = origin.host;
    this.#parser = new ResponseParser({
      informational: (status, headers) => this.#handler?.onInformational?.(status, headers),
      head: (head) => this.#onHead(head),
      data: (chunk) => this.#handler?.onResponseData(this, chunk),
      end: () => this.#onEnd(),
      upgrade: (head, rest) => this.#onUpgrade(head, rest),
    });
    const socket = connect({ host: origin.hostname.replace(/^\[|\]$/g, ''), port: portOf(origin) });
    this.#socket = socket;
    socket.setNoDelay(true);
    socket.setTimeout(timeouts.connectMs);
    socket.once('connect', () => this.#onConnect());
    socket.on('data', (chunk: Buffer) => this.#onData(chunk));
    socket.on('timeout', () => this.#onTimeout());
    socket.on('error', (error) => this.#fail(error));
    socket.on('end', () => this.#onRemoteEnd());
    socket.once('close', () => this.#onClose());
  }

  /** Responses completed on this socket before the one in progress. */
  get served(): number {
    return this.#served;
  }

  /** Sends a request on this connection (once connected); it must not be busy. */
  start(request: UpstreamRequest, handler: UpstreamHandler): void {
    if (!this.#connected) {
      this.#pendingStart = { request, handler };
      return;
    }
    this.#handler = handler;
    this.#request = request;
    this.#head = undefined;
    this.#parser.reset(request.method);
    this.#socket.setTimeout(this.#timeouts.headersMs);
    handler.onRequestStart(this, this);
    if (this.#handler !== handler) return; // aborted at once
    this.#write(request);
  }

  pause(): void {
    this.#socket.pause();
  }

  resume(): void {
    if (!this.#handedOver) this.#socket.resume();
  }

  abort(reason: Error): void {
    const handler = this.#handler;
    this.#handler = undefined;
    this.#destroy();
    handler?.onResponseError(this, reason);
  }

  /** Closes the socket now; an exchange on it fails with `reason`. */
  destroy(reason: Error): void {
    if (this.#handler || this.#pendingStart) this.#fail(reason);
    else this.#destroy();
  }

  /** An idle connection waits this long for its next request, then closes. */
  idleFor(ms: number): void {
    this.#socket.setTimeout(ms);
    // An idle socket must not keep the process alive (a balancer that closes does not wait on it).
    this.#socket.unref();
  }

  #write(request: UpstreamRequest): void {
    this.#socket.ref();
    const { head, framing } = requestHead(request, this.#host);
    const { body } = request;
    if (Buffer.isBuffer(body)) {
      this.#socket.cork();
      this.#socket.write(head, 'latin1');
      this.#socket.write(body);
      this.#socket.uncork();
      return;
    }
    this.#socket.write(head, 'latin1');
    if (body) this.#stream(body, framing === 'chunked');
  }

  /** Copies a streamed body with back-pressure, chunk-framed when its length is unknown. */
  #stream(body: Readable, chunked: boolean): void {
    const socket = this.#socket;
    const onData = (chunk: Buffer) => {
      if (chunk.length === 0) return;
      let flowing: boolean;
      if (chunked) {
        socket.cork();
        socket.write(`${chunk.length.toString(16)}\r\n`, 'latin1');
        socket.write(chunk);
        flowing = socket.write(CHUNK_END);
        socket.uncork();
      } else {
        flowing = socket.write(chunk);
      }
      if (!flowing) {
        body.pause();
        socket.once('drain', () => body.resume());
      }
    };
    const onEnd = () => {
      cleanup();
      if (chunked && !this.#closed) socket.write(LAST_CHUNK);
    };
    const onError = (error: Error) => {
      cleanup();
      this.#fail(new UpstreamIoError('request', 'the request body failed', { cause: error }));
    };
    const cleanup = () => {
      body.off('data', onData);
      body.off('end', onEnd);
      body.off('error', onError);
      // Its error after this try is over (a body cut off at the size limit) is the exchange's
      // to answer, not an uncaught one.
      body.on('error', ignore);
      this.#detachBody = undefined;
    };
    this.#detachBody = cleanup;
    body.on('data', onData);
    body.once('end', onEnd);
    body.once('error', onError);
  }

  #onConnect(): void {
    this.#connected = true;
    const pending = this.#pendingStart;
    this.#pendingStart = undefined;
    if (pending) this.start(pending.request, pending.handler);
  }

  #onData(chunk: Buffer): void {
    if (!this.#handler) {
      // Bytes while idle: the backend is out of step (or closing); the socket is useless.
      this.#destroy();
      return;
    }
    this.#parsing = true;
    try {
      this.#parser.execute(chunk);
    } catch (error) {
      // Bytes after the end of a response included: the connection is not released then.
      this.#releaseAfterParse = undefined;
      this.#fail(error as Error);
      return;
    } finally {
      this.#parsing = false;
    }
    const release = this.#releaseAfterParse;
    this.#releaseAfterParse = undefined;
    release?.();
  }

  #onHead(head: ResponseHead): void {
    this.#head = head;
    this.#socket.setTimeout(this.#timeouts.idleMs);
    this.#handler?.onResponseStart(this, head.status, head.headers, head.statusMessage);
  }

  #onEnd(): void {
    const handler = this.#handler;
    const head = this.#head;
    this.#handler = undefined;
    this.#served++;
    // The request body may still be streaming (a backend answering early): not reusable then.
    const reusable =
      head !== undefined &&
      head.keepAlive &&
      !this.#request?.reset &&
      this.#detachBody === undefined;
    this.#request = undefined;
    handler?.onResponseEnd(this);
    if (!reusable || this.#closed) {
      this.#destroy();
      return;
    }
    const { keepAliveTimeoutMs } = head;
    const release = () => {
      if (this.#closed) return;
      // A pause was the finished exchange's (its client's socket was full when the body's last
      // bytes came): the next request on this socket, or the idle socket watching for the
      // backend's close, must read again, or its response is never seen.
      this.#socket.resume();
      this.#owner.released(this, keepAliveTimeoutMs);
    };
    // Not from inside the parser: the rest of the chunk it is reading would be parsed as the
    // next request's response (a backend's bytes past the end handed to another client).
    if (this.#parsing) this.#releaseAfterParse = release;
    else release();
  }

  #onUpgrade(head: ResponseHead, rest: Buffer): void {
    const handler = this.#handler;
    this.#handler = undefined;
    this.#handedOver = true;
    const socket = this.#socket;
    socket.setTimeout(0);
    socket.removeAllListeners('data');
    socket.removeAllListeners('timeout');
    socket.removeAllListeners('end');
    if (rest.length > 0) socket.unshift(rest);
    this.#owner.closed(this);
    if (!handler?.onRequestUpgrade) {
      socket.destroy();
      return;
    }
    handler.onRequestUpgrade(this, head.status, head.headers as IncomingHttpHeaders, socket);
  }

  #onTimeout(): void {
    if (this.#pendingStart) {
      this.#fail(new UpstreamIoError('connect-timeout', 'connecting to the backend timed out'));
    } else if (this.#handler) {
      const headers = this.#head === undefined;
      this.#fail(
        new UpstreamIoError(
          headers ? 'headers-timeout' : 'idle-timeout',
          headers ? 'the backend sent no response head in time' : 'the backend stopped sending',
        ),
      );
    } else {
      this.#destroy(); // idle for its keep-alive time
    }
  }

  #onRemoteEnd(): void {
    if (!this.#handler) {
      this.#destroy();
      return;
    }
    try {
      this.#parser.finish();
    } catch (error) {
      this.#fail(error as Error);
    }
    if (!this.#handedOver) this.#destroy();
  }

  #onClose(): void {
    if (this.#handedOver) return;
    if (this.#handler || this.#pendingStart) {
      this.#fail(new UpstreamIoError('closed', 'the backend closed the connection'));
    }
    this.#markClosed();
  }

  /** The exchange on this connection failed: the connection goes, and the handler is told. */
  #fail(error: Error): void {
    const handler = this.#handler ?? this.#pendingStart?.handler;
    const started = this.#handler !== undefined;
    this.#handler = undefined;
    this.#pendingStart = undefined;
    this.#destroy();
    handler?.onResponseError(started ? this : undefined, error);
  }

  #destroy(): void {
    if (this.#handedOver) return;
    this.#socket.destroy();
    this.#markClosed();
  }

  #markClosed(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#detachBody?.();
    this.#owner.closed(this);
  }
}

function ignore(): void {}

function portOf(origin: URL): number {
  return origin.port ? Number(origin.port) : 80;
}
