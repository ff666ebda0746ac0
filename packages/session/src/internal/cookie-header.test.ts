import { describe, expect, it } from 'vitest';
import { cookieAttributes, readCookie } from './cookie-header.js';

describe('readCookie', () => {
  it('finds a cookie first, in the middle or last in the header', () => {
    expect(readCookie('kf.sid=a; other=b', 'kf.sid')).toBe('a');
    expect(readCookie('x=1; kf.sid=a; kf.sid.sig=s', 'kf.sid')).toBe('a');
    expect(readCookie('x=1;kf.sid.sig=s;kf.sid=a', 'kf.sid')).toBe('a');
    expect(readCookie('x=1; kf.sid.sig=s', 'kf.sid.sig')).toBe('s');
  });

  it('does not take a cookie whose name only ends with the wanted one', () => {
    expect(readCookie('xkf.sid=evil; kf.sid=good', 'kf.sid')).toBe('good');
    expect(readCookie('xkf.sid=evil', 'kf.sid')).toBeUndefined();
  });

  it('answers undefined without a header or without the cookie, and unquotes values', () => {
    expect(readCookie(undefined, 'kf.sid')).toBeUndefined();
    expect(readCookie('', 'kf.sid')).toBeUndefined();
    expect(readCookie('a=1; b=2', 'kf.sid')).toBeUndefined();
    expect(readCookie('kf.sid="abc"', 'kf.sid')).toBe('abc');
    expect(readCookie('kf.sid=', 'kf.sid')).toBe('');
  });

  it('copes with malformed headers without throwing', () => {
    expect(readCookie('kf.sid', 'kf.sid')).toBeUndefined();
    expect(readCookie(';;;;', 'kf.sid')).toBeUndefined();
    expect(readCookie('kf.sid="', 'kf.sid')).toBe('"');
    expect(readCookie('kf.sid=a=b=c', 'kf.sid')).toBe('a=b=c');
    expect(readCookie('kf.sid=\u00e9\u0000x; kf.sid=second', 'kf.sid')).toBe('\u00e9\u0000x');
  });
});

describe('cookieAttributes', () => {
  const base = {
    path: '/',
    domain: undefined,
    expires: undefined,
    sameSite: 'lax' as const,
    secure: false,
    httpOnly: true,
  };

  it('writes the attributes in the order Koa’s cookies module does', () => {
    const expires = new Date(Date.UTC(2030, 0, 2, 3, 4, 5, 678));
    expect(cookieAttributes({ ...base, expires, domain: 'example.com', secure: true })).toBe(
      '; path=/; expires=Wed, 02 Jan 2030 03:04:05 GMT; domain=example.com; samesite=lax; secure; httponly',
    );
    expect(cookieAttributes({ ...base, sameSite: undefined, httpOnly: false })).toBe('; path=/');
  });

  it('gives each second its own expiry text', () => {
    const first = cookieAttributes({
      ...base,
      expires: new Date(Date.UTC(2030, 0, 1, 0, 0, 0, 999)),
    });
    const next = cookieAttributes({ ...base, expires: new Date(Date.UTC(2030, 0, 1, 0, 0, 1, 0)) });
    expect(first).toContain('expires=Tue, 01 Jan 2030 00:00:00 GMT');
    expect(next).toContain('expires=Tue, 01 Jan 2030 00:00:01 GMT');
  });
});
