import { describe, expect, it } from 'vitest';
import { resolveTls } from './tls-certificates.js';

describe('resolveTls', () => {
  it('is plain HTTP without tls, and a pair of files with it', () => {
    expect(resolveTls(undefined)).toBeUndefined();
    expect(resolveTls({ cert: 'a.crt', key: 'a.key', httpRedirectPort: 80 })).toEqual({
      certFile: 'a.crt',
      keyFile: 'a.key',
      httpRedirectPort: 80,
    });
  });

  it('names the field that is wrong by its path', () => {
    expect(() => resolveTls({ cert: 'a.crt' })).toThrowError(
      'option "tls.key" must be a non-empty string, got undefined',
    );
    expect(() => resolveTls({ cert: 'a.crt', key: 'a.key', httpRedirectPort: -1 })).toThrowError(
      /^option "tls.httpRedirectPort" must be an integer from 0 to 65535/,
    );
    expect(() => resolveTls('a.crt')).toThrowError(
      'option "tls" must be an object with cert and key, got "a.crt"',
    );
  });
});
