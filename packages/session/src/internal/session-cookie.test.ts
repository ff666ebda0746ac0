import { InvalidOptionError } from '@koa-fleet/errors';
import { describe, expect, it } from 'vitest';
import { resolveCookieOptions } from './session-cookie.js';

const optionOf = (make: () => unknown): string | undefined => {
  try {
    make();
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidOptionError);
    return (error as InvalidOptionError).option;
  }
  return undefined;
};

describe('resolveCookieOptions', () => {
  it('has safe defaults: signed, httpOnly, sameSite=lax, path /, secure as the request', () => {
    expect(resolveCookieOptions({}, ['k'])).toEqual({
      name: 'kf.sid',
      signed: true,
      path: '/',
      domain: undefined,
      sameSite: 'lax',
      httpOnly: true,
      secure: undefined,
    });
  });

  it('needs app.keys only for a signed cookie', () => {
    expect(optionOf(() => resolveCookieOptions({}, undefined))).toBe('app.keys');
    expect(resolveCookieOptions({ signed: false }, undefined).signed).toBe(false);
  });

  it('names the wrong option, including attributes that would add attributes of their own', () => {
    expect(optionOf(() => resolveCookieOptions({ key: 'my session' }, ['k']))).toBe('key');
    expect(optionOf(() => resolveCookieOptions({ path: '/; secure' }, ['k']))).toBe('path');
    expect(optionOf(() => resolveCookieOptions({ domain: 'a\nb' }, ['k']))).toBe('domain');
    expect(optionOf(() => resolveCookieOptions({ sameSite: 'loose' }, ['k']))).toBe('sameSite');
    expect(optionOf(() => resolveCookieOptions({ httpOnly: 1 }, ['k']))).toBe('httpOnly');
  });
});
