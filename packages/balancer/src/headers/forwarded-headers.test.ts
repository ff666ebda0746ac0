import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { requestIdOf, resolveForwarding, upstreamHeaders } from './forwarded-headers.js';

/** Just what upstreamHeaders reads of a request. */
function request(headers: Record<string, string | string[]>, httpVersion = '1.1') {
  return { headers, httpVersion } as unknown as IncomingMessage;
}

const asObject = (flat: string[]) => {
  const out: Record<string, string> = {};
  for (let i = 0; i < flat.length; i += 2) out[flat[i]!] = flat[i + 1]!;
  return out;
};

describe('upstreamHeaders', () => {
  it('writes an RFC 7239 element with an IPv6 client quoted and bracketed', () => {
    const headers = upstreamHeaders(request({ host: 'shop.example:8080' }), resolveForwarding({}), {
      socketAddress: '2001:db8::1',
      requestId: 'r1',
    });
    expect(asObject(headers)).toMatchObject({
      forwarded: 'for="[2001:db8::1]";host="shop.example:8080";proto=http',
      'x-forwarded-for': '2001:db8::1',
      'x-request-id': 'r1',
    });
  });

  it('says HTTP/1.0 in Via for a 1.0 client, after the hops before it, under its configured name', () => {
    const forwarding = resolveForwarding({ via: 'edge-lb' });
    const headers = upstreamHeaders(request({ via: '1.1 cdn' }, '1.0'), forwarding, {
      socketAddress: '127.0.0.1',
      requestId: undefined,
    });
    expect(asObject(headers).via).toBe('1.1 cdn, 1.0 edge-lb');
  });

  it('drops Expect (Node answered 100 Continue already); with Via and ids off, adds neither', () => {
    const forwarding = resolveForwarding({ via: false, requestId: false });
    const headers = asObject(
      upstreamHeaders(request({ expect: '100-continue', 'x-request-id': 'x' }), forwarding, {
        socketAddress: '127.0.0.1',
        requestId: requestIdOf({ 'x-request-id': 'x' }, forwarding),
      }),
    );
    expect(headers.expect).toBeUndefined();
    expect(headers.via).toBeUndefined();
    expect(headers['x-request-id']).toBe('x'); // passed on untouched, like any header
  });

  it('replaces a request id that is not plain printable text', () => {
    const forwarding = resolveForwarding({});
    expect(requestIdOf({ 'x-request-id': 'ok-1' }, forwarding)).toBe('ok-1');
    expect(requestIdOf({ 'x-request-id': 'bad id\u0001' }, forwarding)).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('says https in X-Forwarded-Proto and Forwarded for a client of the TLS listener', () => {
    const headers = upstreamHeaders(request({ host: 'shop.example' }), resolveForwarding({}), {
      socketAddress: '10.0.0.1',
      requestId: undefined,
      proto: 'https',
    });
    expect(asObject(headers)).toMatchObject({
      'x-forwarded-proto': 'https',
      forwarded: 'for=10.0.0.1;host=shop.example;proto=https',
    });
  });
});
