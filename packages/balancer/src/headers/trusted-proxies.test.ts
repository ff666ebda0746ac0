import { describe, expect, it } from 'vitest';
import { resolveTrustProxy } from './trusted-proxies.js';

describe('trustProxy', () => {
  it('trusts nobody by default: the client is the socket address', () => {
    const trust = resolveTrustProxy(false);
    expect(trust.trusts('127.0.0.1')).toBe(false);
    expect(trust.clientAddress('10.0.0.9', '6.6.6.6')).toBe('10.0.0.9');
  });

  it('walks X-Forwarded-For from the right to the first hop it does not trust', () => {
    const trust = resolveTrustProxy(['loopback', '10.0.0.0/8']);
    expect(trust.clientAddress('::ffff:127.0.0.1', '6.6.6.6, 203.0.113.7, 10.1.2.3')).toBe(
      '203.0.113.7',
    );
    expect(trust.clientAddress('192.0.2.1', '203.0.113.7')).toBe('192.0.2.1');
    expect(resolveTrustProxy(true).clientAddress('10.0.0.1', '203.0.113.7, 10.0.0.2')).toBe(
      '203.0.113.7',
    );
  });

  it('accepts addresses, CIDR ranges and the names loopback and private', () => {
    const trust = resolveTrustProxy(['192.0.2.10', 'private', '2001:db8::/32']);
    expect(['192.0.2.10', '172.20.1.1', '2001:db8::5'].map((a) => trust.trusts(a))).toEqual([
      true,
      true,
      true,
    ]);
    expect(trust.trusts('192.0.2.11')).toBe(false);
  });

  it('tells whom it trusts as the option said, with the named ranges spelled out', () => {
    expect(resolveTrustProxy(false).trusted).toBe(false);
    expect(resolveTrustProxy(true).trusted).toBe(true);
    expect(resolveTrustProxy(['loopback', '10.0.0.0/8', '192.0.2.1']).trusted).toEqual([
      '127.0.0.0/8',
      '::1/128',
      '10.0.0.0/8',
      '192.0.2.1',
    ]);
  });

  it('names the entry that is not an address', () => {
    expect(() => resolveTrustProxy(['10.0.0.0/8', '10.0.0.0/40'])).toThrowError(
      'option "trustProxy[1]" must be an IP address, a CIDR range or "loopback"/"private", got "10.0.0.0/40"',
    );
  });
});
