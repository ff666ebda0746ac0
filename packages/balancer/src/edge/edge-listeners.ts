import {
  createServer as createHttpServer,
  type IncomingMessage,
  type Server as HttpServer,
  type ServerResponse,
} from 'node:http';
import { createServer as createHttpsServer, type Server as HttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { ListenError } from '../errors.js';
import { serverLimits, type ResolvedClientLimits } from './client-limits.js';
import { createRedirectServer } from './https-redirect.js';
import { loadCertificates, type ResolvedTls } from './tls-certificates.js';

/** What answers the edge's requests: the proxy core. */
export interface EdgeHandlers {
  handle(req: IncomingMessage, res: ServerResponse): void;
  upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void;
}

/** The ports the listeners are bound to. */
export interface EdgePorts {
  port: number;
  /** With `tls.httpRedirectPort`. */
  redirectPort?: number;
}

type EdgeServer = HttpServer | HttpsServer;

/**
 * The balancer's listeners: the server clients connect to — plain HTTP, or HTTPS with `tls` —
 * with the client limits on and the proxy core behind it, and with `tls.httpRedirectPort` a plain
 * one that redirects to it. The certificate files are read here, at construction, so a bad pair
 * stops the balancer before it listens.
 *
 * HTTPS offers only HTTP/1.1 over ALPN: an h2 client would need a second core (pseudo-headers,
 * no hop-by-hop headers, no Upgrade), so it falls back to HTTP/1.1, as with nginx without
 * `http2 on`.
 */
export class EdgeListeners {
  readonly #tls: ResolvedTls | undefined;
  readonly #main: EdgeServer;
  readonly #redirect: HttpServer | undefined;
  readonly #all: EdgeServer[];
  #port: number | undefined;

  constructor(
    options: { client: ResolvedClientLimits; tls: ResolvedTls | undefined },
    handlers: EdgeHandlers,
  ) {
    const { client, tls } = options;
    this.#tls = tls;
    const limits = serverLimits(client);
    this.#main = tls
      ? createHttpsServer(
          { ...limits, ...loadCertificates(tls), ALPNProtocols: ['http/1.1'] },
          handlers.handle,
        )
      : createHttpServer(limits, handlers.handle);
    this.#main.on('upgrade', handlers.upgrade);
    this.#redirect =
      tls?.httpRedirectPort === undefined
        ? undefined
        : createRedirectServer(() => this.#port ?? 443, client);
    this.#all = this.#redirect ? [this.#main, this.#redirect] : [this.#main];
  }

  get scheme(): 'http' | 'https' {
    return this.#tls ? 'https' : 'http';
  }

  /** Listens on every listener, or on none: rejects with a ListenError, the others closed. */
  async listen(port: number, host: string): Promise<EdgePorts> {
    const ports: EdgePorts = { port: await listenOn(this.#main, port, host) };
    this.#port = ports.port;
    if (this.#redirect) {
      try {
        ports.redirectPort = await listenOn(this.#redirect, this.#tls!.httpRedirectPort!, host);
      } catch (error) {
        await new Promise((closed) => this.#main.close(closed));
        throw error;
      }
    }
    return ports;
  }

  /**
   * Reads the certificate files again; new connections get them, open ones keep theirs. Throws a
   * CertificateError, the certificate in use kept, when they are not a usable pair.
   */
  reloadCertificates(tls: ResolvedTls): void {
    (this.#main as HttpsServer).setSecureContext(loadCertificates(tls));
  }

  /** Stops accepting and closes idle connections; resolves once every connection is closed. */
  stop(): Promise<void> {
    const stopped = Promise.all(
      this.#all.map((server) => new Promise((resolve) => server.close(resolve))),
    );
    for (const server of this.#all) server.closeIdleConnections();
    return stopped.then(() => undefined);
  }

  /** Cuts the connections still open (tunnels are the proxy's: Node no longer holds them). */
  cutAll(): void {
    for (const server of this.#all) server.closeAllConnections();
  }
}

/** Listens, and resolves with the bound port; rejects with a ListenError. */
function listenOn(server: EdgeServer, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const failed = (error: NodeJS.ErrnoException) => {
      reject(new ListenError(`${host}:${port}`, listenReason(error), { cause: error }));
    };
    server.once('error', failed);
    server.listen(port, host, () => {
      server.off('error', failed);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

function listenReason(error: NodeJS.ErrnoException): string {
  if (error.code === 'EADDRINUSE') return 'the address is already in use';
  if (error.code === 'EACCES') return 'permission denied (a port below 1024 needs privileges)';
  if (error.code === 'EADDRNOTAVAIL') return 'no such local address';
  return error.message;
}
