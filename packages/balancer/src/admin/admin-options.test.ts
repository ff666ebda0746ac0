import { describe, expect, it } from 'vitest';
import { isLoopback, resolveAdmin } from './admin-options.js';

describe('admin options', () => {
  it('listens on 127.0.0.1 by default, with no token needed there', () => {
    expect(resolveAdmin({ port: 0 })).toEqual({ port: 0, host: '127.0.0.1', token: undefined });
    expect(resolveAdmin(undefined)).toBeUndefined();
  });

  it('refuses a host other than loopback without a token, naming admin.token', () => {
    for (const host of ['0.0.0.0', '::', '10.1.2.3', 'admin.example']) {
      expect(() => resolveAdmin({ port: 9090, host })).toThrowError(
        expect.objectContaining({ code: 'KF_INVALID_OPTION', option: 'admin.token' }),
      );
    }
    const token = 'a-long-enough-secret';
    expect(resolveAdmin({ port: 9090, host: '0.0.0.0', token })).toMatchObject({ token });
  });

  it('names the field that is wrong', () => {
    expect(() => resolveAdmin({ port: 9090, token: 'short' })).toThrowError(
      'option "admin.token" must be a secret of at least 16 characters, got "5 characters"',
    );
    expect(() => resolveAdmin({ port: 'admin' })).toThrowError(/option "admin\.port"/);
    expect(() => resolveAdmin({ port: 1, tls: true })).toThrowError(/admin\.tls/);
    expect(() => resolveAdmin(9090)).toThrowError(/option "admin" must be an object/);
  });

  it('knows the loopback addresses', () => {
    for (const host of [
      '127.0.0.1',
      '127.8.9.10',
      '::1',
      '[::1]',
      'localhost',
      '::ffff:127.0.0.1',
    ]) {
      expect(isLoopback(host), host).toBe(true);
    }
    for (const host of ['0.0.0.0', '::', '192.168.1.1', '128.0.0.1', 'localhost.example']) {
      expect(isLoopback(host), host).toBe(false);
    }
  });
});
