import { describe, expect, it } from 'vitest';
import { parseBackendFlag } from './backend-flag.js';

describe('--backend', () => {
  it('reads a URL and an optional =weight', () => {
    expect(parseBackendFlag('http://127.0.0.1:3001')).toEqual({ url: 'http://127.0.0.1:3001' });
    expect(parseBackendFlag('http://127.0.0.1:3001=3')).toEqual({
      url: 'http://127.0.0.1:3001',
      weight: 3,
    });
  });

  it('names the flag when the weight is not a whole number', () => {
    expect(() => parseBackendFlag('http://127.0.0.1:3001=heavy')).toThrowError(
      /^option "--backend" must be a URL, optionally =weight/,
    );
  });
});
