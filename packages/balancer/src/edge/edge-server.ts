import {
  createServer as createHttpServer,
  type IncomingMessage,
  type Server as HttpServer,
  type ServerResponse,
} from 'node:http';
import { createServer as createHttpsServer, type Server as HttpsServer } from 'node:https';
import type { Duplex } from 'node:stream';
import { serverLimits, type ResolvedClientLimits } from './client-limits.js';
import type { Certificates } from './tls-certificates.js';

export type EdgeServer = HttpServer | HttpsServer;

/** What answers the edge's requests: the proxy core. */
export interface EdgeHandlers {
  handle(req: IncomingMessage, res: ServerResponse): void;
  upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void;
}

/**
 * The server clients connect to: plain HTTP, or HTTPS when there are certificates, with the
 * client limits on, and one proxy core behind either. HTTPS offers only HTTP/1.1 over ALPN: an h2
 * client would need a second core (pseudo-headers, no hop-by-hop headers, no Upgrade), so an h2
 * client falls back to HTTP/1.1, as it does with nginx without `http2 on`.
 */
export function createEdgeServer(
  limits: ResolvedClientLimits,
  certificates: Certificates | undefined,
  handlers: EdgeHandlers,
): EdgeServer {
  const options = serverLimits(limits);
  const server = certificates
    ? createHttpsServer(
        { ...options, ...certificates, ALPNProtocols: ['http/1.1'] },
        handlers.handle,
      )
    : createHttpServer(options, handlers.handle);
  server.on('upgrade', handlers.upgrade);
  return server;
}
