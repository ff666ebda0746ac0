import { randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import { checkString, InvalidOptionError } from '@koa-fleet/errors';
import { connectionListed, isHopByHop } from './hop-by-hop.js';
import { plainAddress, resolveTrustProxy, type TrustedProxies } from './trusted-proxies.js';

/** How the balancer says who asked: X-Forwarded-*, Forwarded, Via and the request id. */
export interface ForwardingOptions {
  /**
   * Whose X-Forwarded-For/-Proto/-Host and Forwarded to keep (and append to): `true` any hop,
   * `false` (default) none — they are replaced, since any client can send them — or a list of
   * addresses, CIDR ranges, `loopback`, `private`.
   */
  trustProxy?: boolean | string[];
  /** The name this proxy gives itself in `Via` (`1.1 koa-fleet`), or false for none. */
  via?: string | false;
  /** The request id header passed on, or made when missing. Default 'x-request-id'; false: none. */
  requestId?: string | false;
}

export interface ResolvedForwarding {
  trust: TrustedProxies;
  via: string | undefined;
  requestIdHeader: string | undefined;
}

export function resolveForwarding(input: ForwardingOptions): ResolvedForwarding {
  return {
    trust: resolveTrustProxy(input.trustProxy ?? false),
    via: input.via === false ? undefined : checkToken('via', input.via ?? 'koa-fleet'),
    requestIdHeader:
      input.requestId === false
        ? undefined
        : checkToken('requestId', input.requestId ?? 'x-request-id').toLowerCase(),
  };
}

function checkToken(option: string, value: unknown): string {
  const text = checkString(option, value);
  if (!/^[\w!#$%&'*+.^`|~-]+$/.test(text)) {
    throw new InvalidOptionError(option, 'a header token (letters, digits, "-", …)', value);
  }
  return text;
}

/** Headers this module writes itself; the client's values are merged in or replaced. */
const REWRITTEN = new Set([
  'x-forwarded-for',
  'x-forwarded-proto',
  'x-forwarded-host',
  'forwarded',
]);

/** What the balancer learned of a request before it goes upstream. */
export interface RequestOrigin {
  /** The address the socket came from. */
  socketAddress: string;
  requestId: string | undefined;
  /** How the client reached the balancer: `https` on the TLS listener. Default 'http'. */
  proto?: 'http' | 'https';
}

/** The origin of a request as its socket tells it. */
export function requestOrigin(req: IncomingMessage, requestId: string | undefined): RequestOrigin {
  const socket = req.socket as IncomingMessage['socket'] & { encrypted?: boolean };
  return {
    socketAddress: socket.remoteAddress ?? '',
    requestId,
    proto: socket.encrypted ? 'https' : 'http',
  };
}

/** A request id from the client is kept if it is plain printable text of a sane length. */
const REQUEST_ID = /^[\x21-\x7e]{1,200}$/;

export function requestIdOf(
  headers: IncomingHttpHeaders,
  forwarding: ResolvedForwarding,
): string | undefined {
  const header = forwarding.requestIdHeader;
  if (!header) return undefined;
  const given = headers[header];
  return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
}

/**
 * The request's headers as sent upstream (a flat `[name, value, …]` list): hop-by-hop
 * headers and `Expect` dropped (Node's server already answered `100 Continue`), one
 * X-Forwarded-For line with the socket's address appended, X-Forwarded-Proto/-Host and an RFC 7239
 * `Forwarded` element, `Via`, and the request id. `Host` is passed on as the client sent it
 * (nginx's `proxy_set_header Host $host`), so the app sees the name it was called by.
 */
export function upstreamHeaders(
  req: IncomingMessage,
  forwarding: ResolvedForwarding,
  origin: RequestOrigin,
): string[] {
  const headers = req.headers;
  const listed = connectionListed(headers);
  const trusted = forwarding.trust.trusts(origin.socketAddress);
  const out: string[] = [];
  for (const name in headers) {
    if (isHopByHop(name, listed) || REWRITTEN.has(name) || name === 'expect') continue;
    if (name === 'via' || name === forwarding.requestIdHeader) continue;
    const value = headers[name];
    if (value === undefined) continue;
    out.push(name, Array.isArray(value) ? value.join(', ') : value);
  }
  const peer = plainAddress(origin.socketAddress);
  const host = headers.host;
  const kept = (name: string) => {
    const value = trusted ? headers[name] : undefined;
    return typeof value === 'string' && value ? value : undefined;
  };
  const proto = origin.proto ?? 'http';
  const forwardedFor = kept('x-forwarded-for');
  out.push('x-forwarded-for', forwardedFor ? `${forwardedFor}, ${peer}` : peer);
  out.push('x-forwarded-proto', kept('x-forwarded-proto') ?? proto);
  const forwardedHost = kept('x-forwarded-host') ?? host;
  if (forwardedHost) out.push('x-forwarded-host', forwardedHost);
  const element = forwardedElement(peer, host, proto);
  const forwarded = kept('forwarded');
  out.push('forwarded', forwarded ? `${forwarded}, ${element}` : element);
  if (forwarding.via) out.push('via', viaValue(headers.via, req.httpVersion, forwarding.via));
  if (forwarding.requestIdHeader && origin.requestId) {
    out.push(forwarding.requestIdHeader, origin.requestId);
  }
  return out;
}

/** `Via` with this hop appended: `1.1 koa-fleet`, after whatever hops came before. */
export function viaValue(
  existing: string | string[] | undefined,
  httpVersion: string,
  name: string,
): string {
  const hop = `${httpVersion === '1.0' ? '1.0' : '1.1'} ${name}`;
  const before = Array.isArray(existing) ? existing.join(', ') : existing;
  return before ? `${before}, ${hop}` : hop;
}

/** RFC 7239 §4: an IPv6 node is quoted and bracketed; a host with a port is quoted. */
function forwardedElement(client: string, host: string | undefined, proto: string): string {
  // The socket's address, made plain: only an IPv6 one holds a colon.
  const node = client.includes(':') ? `"[${client}]"` : client;
  const hostPart = host ? `;host=${PLAIN_HOST.test(host) ? host : JSON.stringify(host)}` : '';
  return `for=${node}${hostPart};proto=${proto}`;
}

const PLAIN_HOST = /^[\w.-]+$/;
