import { describe, expect, it } from 'vitest';
import { BearerToken } from './bearer-token.js';

describe('BearerToken', () => {
  const token = new BearerToken('s3cret-token-0123456789');

  it('accepts exactly `Bearer <token>`', () => {
    expect(token.accepts('Bearer s3cret-token-0123456789')).toBe(true);
    expect(token.accepts('bearer s3cret-token-0123456789')).toBe(true);
  });

  it('refuses a missing, malformed, shorter, longer or other token', () => {
    for (const header of [
      undefined,
      '',
      'Bearer',
      'Bearer ',
      's3cret-token-0123456789',
      'Basic s3cret-token-0123456789',
      'Bearer s3cret-token-012345678',
      'Bearer s3cret-token-01234567890',
      'Bearer S3CRET-TOKEN-0123456789',
    ]) {
      expect(token.accepts(header), String(header)).toBe(false);
    }
  });

  it('refuses an empty header even against an empty-string digest', () => {
    expect(new BearerToken('').accepts(undefined)).toBe(false);
  });
});
