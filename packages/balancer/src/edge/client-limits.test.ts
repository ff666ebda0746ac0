import { describe, expect, it } from 'vitest';
import { resolveClientLimits, serverLimits } from './client-limits.js';

describe('client limits', () => {
  it("defaults to Node's own server limits and no body limit", () => {
    expect(resolveClientLimits({})).toEqual({
      maxHeaderSize: 16 * 1024,
      maxBodySize: 0,
      headersTimeoutMs: 60_000,
      requestTimeoutMs: 300_000,
    });
  });

  it('reads sizes and durations as text, and names a wrong one by its path', () => {
    expect(
      resolveClientLimits({ maxBodySize: '10mb', headersTimeout: '5s', requestTimeout: 0 }),
    ).toMatchObject({
      maxBodySize: 10 * 1024 * 1024,
      headersTimeoutMs: 5_000,
      requestTimeoutMs: 0,
    });
    expect(() => resolveClientLimits({ maxHeaderSize: 'big' })).toThrowError(
      /^option "client.maxHeaderSize" must be a size/,
    );
    expect(() => resolveClientLimits({ maxBody: 1 })).toThrowError(/client\.maxBody/);
  });

  it('refuses a headers timeout longer than the request timeout it is part of', () => {
    expect(() => resolveClientLimits({ headersTimeout: '10s', requestTimeout: '5s' })).toThrowError(
      'option "client.headersTimeout" must be at most client.requestTimeout (5000 ms), got "10s"',
    );
  });

  it('checks the timeouts often enough that a cut-off comes close to its limit', () => {
    const at = (headersTimeout: string, requestTimeout: string | number) =>
      serverLimits(resolveClientLimits({ headersTimeout, requestTimeout }))
        .connectionsCheckingInterval;
    expect(at('60s', '300s')).toBe(1_000);
    expect(at('400ms', '1s')).toBe(100);
    expect(at('100ms', 0)).toBe(50);
  });
});
