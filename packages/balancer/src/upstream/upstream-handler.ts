import type { IncomingHttpHeaders } from 'node:http';
import type { Duplex, Readable } from 'node:stream';

/** One request to a backend, as the proxy hands it to the backend's pool. */
export interface UpstreamRequest {
  method: string;
  /** The request target: a path with its query. */
  path: string;
  /** Flat `[name, value, …]` list, lower-case names, values free of CR and LF. */
  headers: readonly string[];
  /** A buffered body (sent with its Content-Length), a stream (chunked unless the headers give a length), or none. */
  body: Buffer | Readable | null;
  /** An upgrade request: the protocol asked for (`websocket`); the connection leaves the pool on 101. */
  upgrade?: string;
  /** The connection closes after this exchange, whatever the backend says (a refused upgrade). */
  reset?: boolean;
}

/** What a handler may do to its request while it runs. */
export interface UpstreamController {
  /** Stop reading the response (the client's socket is full). */
  pause(): void;
  resume(): void;
  /** Stops the request and closes its connection; the handler's onResponseError follows. */
  abort(reason: Error): void;
}

/** Which connection carries a request: `served` responses were completed on it before this one. */
export interface ConnectionUse {
  readonly served: number;
}

/**
 * Receives one request's progress, in order: onRequestStart (the request goes out now, on a
 * connected socket), then either an upgrade, or the response's head, data and end, or an error
 * at any point. Informational (1xx) heads come before the final one.
 */
export interface UpstreamHandler {
  onRequestStart(controller: UpstreamController, connection: ConnectionUse): void;
  onInformational?(status: number, headers: IncomingHttpHeaders): void;
  onResponseStart(
    controller: UpstreamController,
    status: number,
    headers: IncomingHttpHeaders,
    statusMessage: string,
  ): void;
  onResponseData(controller: UpstreamController, chunk: Buffer): void;
  onResponseEnd(controller: UpstreamController): void;
  /** The backend switched protocols: the socket (with any bytes it sent after its 101) is the handler's. */
  onRequestUpgrade?(
    controller: UpstreamController,
    status: number,
    headers: IncomingHttpHeaders,
    socket: Duplex,
  ): void;
  /** The request failed, before or after its response began; nothing else follows. */
  onResponseError(controller: UpstreamController | undefined, error: Error): void;
}
