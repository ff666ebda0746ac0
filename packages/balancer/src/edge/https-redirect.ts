import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { serverLimits, type ResolvedClientLimits } from './client-limits.js';

const HOST = /^([a-z0-9.-]+|\[[0-9a-f:.]+\])(?::\d{1,5})?$/i;

/**
 * Where a plain HTTP request is sent on HTTPS: the same host and target on the HTTPS port
 * (nginx's `return 301 https://$host$request_uri`), or undefined without a usable Host.
 */
export function httpsLocation(req: IncomingMessage, httpsPort: number): string | undefined {
  // A name or an address, and its port dropped; nothing else (no `@`, no path) gets into Location.
  const name = HOST.exec(req.headers.host ?? '')?.[1];
  if (!name) return undefined;
  const path = req.url?.startsWith('/') ? req.url : '/';
  return `https://${name}${httpsPort === 443 ? '' : `:${httpsPort}`}${path}`;
}

/**
 * The plain HTTP listener of `tls.httpRedirectPort`: every request gets a 308 to HTTPS, which
 * keeps its method and body (a 301 may turn a POST into a GET). Nothing reaches a backend.
 * `httpsPort` is read per request: the HTTPS port may be known only once it listens.
 */
export function createRedirectServer(
  httpsPort: () => number,
  limits: ResolvedClientLimits,
): Server {
  return createServer(serverLimits(limits), (req: IncomingMessage, res: ServerResponse) => {
    req.resume();
    const location = httpsLocation(req, httpsPort());
    if (!location) {
      res.writeHead(400, { 'content-type': 'text/plain; charset=utf-8', connection: 'close' });
      res.end('400 Bad Request: a Host header is needed to redirect to HTTPS.\n');
      return;
    }
    const body = `Redirecting to ${location}\n`;
    res.writeHead(308, {
      location,
      'content-type': 'text/plain; charset=utf-8',
      'content-length': Buffer.byteLength(body),
    });
    res.end(req.method === 'HEAD' ? undefined : body);
  });
}
