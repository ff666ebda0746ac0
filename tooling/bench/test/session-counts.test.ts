import { describe, expect, it } from 'vitest';
import { cookieHeader } from '../src/internal/session-client.js';
import { fieldCounts, incrementCounts } from '../src/measure/session-counts.js';

describe('incrementCounts', () => {
  const figures = {
    sent: 2000,
    acknowledged: 2000,
    non2xx: 0,
    socketErrors: 0,
    final: 100,
    elapsedSec: 2,
    p99Ms: 50,
  };

  it('counts acknowledged increments the session does not hold as lost, with the loss rate', () => {
    expect(incrementCounts(figures)).toMatchObject({
      counts: { 'lost updates': 1900, 'non-2xx': 0, 'socket errors': 0 },
      context: { increments: 2000, 'final n': 100, 'lost %': 95 },
    });
    expect(incrementCounts({ ...figures, final: 2000 }).counts['lost updates']).toBe(0);
  });

  it('reports a failed increment as failed, not as lost', () => {
    const result = incrementCounts({ ...figures, acknowledged: 1990, non2xx: 10, final: 1990 });
    expect(result.counts).toEqual({ 'lost updates': 0, 'non-2xx': 10, 'socket errors': 0 });
  });

  it('gives the throughput of every answer over the burst, for the ratio table', () => {
    expect(incrementCounts(figures).throughput).toEqual({
      requestsPerSec: 1000,
      p99Ms: 50,
      requests: 2000,
      non2xx: 0,
      socketErrors: 0,
    });
  });

  it('has no loss rate when nothing was acknowledged', () => {
    const result = incrementCounts({ ...figures, acknowledged: 0, non2xx: 2000, final: 0 });
    expect(result.context?.['lost %']).toBeNaN();
  });
});

describe('fieldCounts', () => {
  it('counts acknowledged fields the session lost, and failed writes apart', () => {
    expect(fieldCounts({ written: 64, acknowledged: 64, kept: 1 })).toEqual({
      counts: { 'fields lost': 63, 'failed writes': 0 },
      context: { 'fields kept': 1 },
    });
    expect(fieldCounts({ written: 64, acknowledged: 60, kept: 60 }).counts).toEqual({
      'fields lost': 0,
      'failed writes': 4,
    });
  });
});

describe('cookieHeader', () => {
  it('sends back every cookie set, name=value only', () => {
    expect(
      cookieHeader([
        'koa.sess=abc; path=/; httponly',
        'koa.sess.sig=x-Y_z; path=/; expires=Thu, 26 Nov 2026 18:37:47 GMT; httponly',
      ]),
    ).toBe('koa.sess=abc; koa.sess.sig=x-Y_z');
  });

  it('throws when the response set no cookie', () => {
    expect(() => cookieHeader(undefined)).toThrowError('the response set no cookie');
    expect(() => cookieHeader([])).toThrowError('the response set no cookie');
  });
});
