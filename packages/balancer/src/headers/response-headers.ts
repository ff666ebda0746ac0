import type { IncomingHttpHeaders, OutgoingHttpHeaders } from 'node:http';
import { viaValue } from './forwarded-headers.js';
import { connectionListed, isHopByHop } from './hop-by-hop.js';

/**
 * A backend's response headers as sent to the client: hop-by-hop headers dropped (Node's server
 * frames the response and manages the client's connection itself) and this hop added to `Via`.
 */
export function downstreamHeaders(
  headers: IncomingHttpHeaders,
  via: string | undefined,
): OutgoingHttpHeaders {
  const listed = connectionListed(headers);
  const out: OutgoingHttpHeaders = {};
  for (const name in headers) {
    if (isHopByHop(name, listed)) continue;
    const value = headers[name];
    if (value !== undefined) out[name] = value;
  }
  if (via) out.via = viaValue(headers.via, '1.1', via);
  return out;
}
