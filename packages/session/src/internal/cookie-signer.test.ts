import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { InvalidOptionError } from '@koa-fleet/errors';
import { checkCookieKeys, cookieSigner, isCookieKeys } from './cookie-signer.js';

// Keygrip's documented output: HMAC-SHA1, base64 with / + = made URL-safe (= dropped).
const keygripSign = (data: string, key: string): string =>
  createHmac('sha1', key)
    .update(data)
    .digest('base64')
    .replace(/\/|\+|=/g, (c) => ({ '/': '_', '+': '-', '=': '' })[c]!);

describe('cookieSigner', () => {
  it('signs with the newest key exactly as Keygrip does', () => {
    const signer = cookieSigner(['new', 'old']);
    for (const data of ['kf.sid=abc', 'kf.sid=paLSAZwOEOXyZwzfYVpJ_n-N', 'x=' + 'y'.repeat(300)]) {
      expect(signer.sign(data)).toBe(keygripSign(data, 'new'));
    }
  });

  it('tells which key made a signature, and refuses a tampered one or one of another length', () => {
    const signer = cookieSigner(['new', 'old']);
    const data = 'kf.sid=abc';
    expect(signer.index(data, keygripSign(data, 'new'))).toBe(0);
    expect(signer.index(data, keygripSign(data, 'old'))).toBe(1);
    expect(signer.index(data, keygripSign(data, 'other'))).toBe(-1);
    expect(signer.index('kf.sid=abd', keygripSign(data, 'new'))).toBe(-1);
    expect(signer.index(data, 'short')).toBe(-1);
    expect(signer.index(data, '')).toBe(-1);
  });

  it('uses a Keygrip-like app.keys object as it is', () => {
    const keygrip = { sign: (d: string) => `signed:${d}`, index: () => 3 };
    expect(cookieSigner(keygrip).sign('a')).toBe('signed:a');
    expect(cookieSigner(keygrip).index('a', 'b')).toBe(3);
  });

  it('accepts as keys only secrets or a signer', () => {
    expect(isCookieKeys(['a'])).toBe(true);
    expect(isCookieKeys([Buffer.from('a')])).toBe(true);
    expect(isCookieKeys({ sign: () => '', index: () => 0 })).toBe(true);
    expect(isCookieKeys([])).toBe(false);
    expect(isCookieKeys([1])).toBe(false);
    expect(isCookieKeys(undefined)).toBe(false);
    expect(isCookieKeys('secret')).toBe(false);
  });
});

describe('checkCookieKeys', () => {
  it('takes secrets or a Keygrip-like signer, and names app.keys otherwise', () => {
    const keygrip = { sign: () => '', index: () => 0 };
    expect(checkCookieKeys('app.keys', ['a'])).toEqual(['a']);
    expect(checkCookieKeys('app.keys', keygrip)).toBe(keygrip);
    expect(() => checkCookieKeys('app.keys', undefined)).toThrow(
      'option "app.keys" must be set when signed is true (cookies are signed with them), got undefined',
    );
    expect(() => checkCookieKeys('app.keys', [])).toThrow(InvalidOptionError);
    expect(() => checkCookieKeys('app.keys', { sign: () => '' })).toThrow(
      'option "app.keys" must be a Keygrip-like signer (an object with sign(), index())',
    );
  });
});
