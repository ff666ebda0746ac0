import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { httpsLocation } from './https-redirect.js';

const request = (host: string | undefined, url = '/a?b=1') =>
  ({ headers: host === undefined ? {} : { host }, url }) as unknown as IncomingMessage;

describe('httpsLocation', () => {
  it('keeps the host and the target, and puts the HTTPS port in place of the HTTP one', () => {
    expect(httpsLocation(request('shop.example:8080'), 8443)).toBe(
      'https://shop.example:8443/a?b=1',
    );
    expect(httpsLocation(request('shop.example'), 443)).toBe('https://shop.example/a?b=1');
    expect(httpsLocation(request('[2001:db8::1]:80'), 443)).toBe('https://[2001:db8::1]/a?b=1');
  });

  it('sends an absolute-form target to the root, and nothing but a host into Location', () => {
    expect(httpsLocation(request('a.example', 'http://evil.example/'), 443)).toBe(
      'https://a.example/',
    );
    for (const host of [undefined, '', 'evil.example@a.example', 'a.example/path', 'a b']) {
      expect(httpsLocation(request(host), 443), String(host)).toBeUndefined();
    }
  });
});
