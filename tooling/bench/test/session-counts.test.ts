import { describe, expect, it } from 'vitest';
import { cookieHeader } from '../src/internal/session-client.js';
import { fieldCounts, incrementCounts, timedIncrementGap } from '../src/measure/session-counts.js';
import { measured } from './fixtures.js';

describe('incrementCounts', () => {
  const burst = { acknowledged: 2000, non2xx: 0, socketErrors: 0, final: 100, elapsedSec: 2 };
  const timed = { tool: 'wrk', measurement: measured(12_000, { requests: 60_000 }), final: 60_040 };

  it('counts acknowledged increments the session does not hold as lost, with the loss rate', () => {
    expect(incrementCounts(burst, timed)).toMatchObject({
      counts: { 'lost updates': 1900, 'non-2xx': 0, 'socket errors': 0 },
      context: { increments: 2000, 'final n': 100, 'lost %': 95 },
    });
    expect(incrementCounts({ ...burst, final: 2000 }, timed).counts['lost updates']).toBe(0);
  });

  it('reports a failed increment as failed, not as lost', () => {
    const result = incrementCounts(
      { ...burst, acknowledged: 1990, non2xx: 10, final: 1990 },
      timed,
    );
    expect(result.counts).toEqual({ 'lost updates': 0, 'non-2xx': 10, 'socket errors': 0 });
  });

  it("takes the throughput from the timed load, and keeps the burst's req/s as context", () => {
    const result = incrementCounts(burst, timed);
    expect(result.throughput).toBe(timed.measurement);
    expect(result.context?.['burst req/s']).toBe(1000);
  });

  it("gives the timed load's final − acked as context named after its tool, never as a count", () => {
    expect(incrementCounts(burst, timed).context?.['wrk: final − acked']).toBe(40);
    const fallback = incrementCounts(burst, { ...timed, tool: 'autocannon' });
    expect(fallback.context).toHaveProperty(['autocannon: final − acked'], 40);
    expect(Object.keys(fallback.counts)).not.toContain('autocannon: final − acked');
  });

  it('has no loss rate when nothing was acknowledged', () => {
    const result = incrementCounts({ ...burst, acknowledged: 0, non2xx: 2000, final: 0 }, timed);
    expect(result.context?.['lost %']).toBeNaN();
  });
});

describe('timedIncrementGap', () => {
  const measurement = measured(12_000, { requests: 60_000, non2xx: 0 });

  it('is the counter over what the tool saw acknowledged: in flight at the stop for an exact store', () => {
    expect(timedIncrementGap({ tool: 'wrk', measurement, final: 60_064 })).toBe(64);
  });

  it('is far below 0 for a store that loses updates', () => {
    expect(timedIncrementGap({ tool: 'wrk', measurement, final: 900 })).toBe(-59_100);
  });

  it('does not take non-2xx answers for acknowledged increments', () => {
    const failing = { ...measurement, non2xx: 100 };
    expect(timedIncrementGap({ tool: 'wrk', measurement: failing, final: 59_900 })).toBe(0);
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
