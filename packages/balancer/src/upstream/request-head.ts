import type { UpstreamRequest } from './upstream-handler.js';

/** Methods whose request carries a body by meaning: sent with `content-length: 0` when empty. */
const EXPECTS_BODY = new Set(['POST', 'PUT', 'PATCH']);

/** How the body of a request is framed on the wire. */
export type BodyFraming = 'none' | 'length' | 'chunked';

/**
 * A request head as the text written to the backend, and how its body is framed. The headers
 * come from the proxy (a client's request, already checked by Node's parser, with hop-by-hop
 * headers dropped), so the head is assembled, not validated again. Framing is the proxy's own:
 * a buffered body gets its exact Content-Length, a stream keeps a declared length or is chunked;
 * `Host` is the backend's when the client sent none (HTTP/1.0).
 */
export function requestHead(
  request: UpstreamRequest,
  host: string,
): { head: string; framing: BodyFraming } {
  const { headers, body } = request;
  let head = `${request.method} ${request.path} HTTP/1.1\r\n`;
  let hasHost = false;
  let declaredLength: string | undefined;
  for (let i = 0; i < headers.length; i += 2) {
    const name = headers[i]!;
    if (name === 'content-length') {
      declaredLength = headers[i + 1];
      continue;
    }
    if (name === 'host') hasHost = true;
    head += `${name}: ${headers[i + 1]}\r\n`;
  }
  if (!hasHost) head += `host: ${host}\r\n`;
  let framing: BodyFraming = 'none';
  if (Buffer.isBuffer(body)) {
    head += `content-length: ${body.length}\r\n`;
    framing = 'length';
  } else if (body) {
    if (declaredLength === undefined) head += 'transfer-encoding: chunked\r\n';
    else head += `content-length: ${declaredLength}\r\n`;
    framing = declaredLength === undefined ? 'chunked' : 'length';
  } else if (EXPECTS_BODY.has(request.method)) {
    head += 'content-length: 0\r\n';
  }
  if (request.upgrade !== undefined) {
    head += `connection: upgrade\r\nupgrade: ${request.upgrade}\r\n`;
  } else if (request.reset) {
    head += 'connection: close\r\n';
  } else {
    head += 'connection: keep-alive\r\n';
  }
  return { head: `${head}\r\n`, framing };
}
