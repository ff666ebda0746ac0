import { describe, expect, it } from 'vitest';
import { isConnectionReset, reloadCounts } from '../src/measure/reload-counts.js';

const load = { requests: { total: 9000 }, errors: 40, timeouts: 3, non2xx: 2, duration: 10.4 };

describe('reloadCounts', () => {
  it('splits errors into resets, timeouts and the rest, and counts a failed reload', () => {
    expect(reloadCounts(load, 30, { ok: false, durationMs: 2345.6 })).toEqual({
      counts: {
        'connection resets': 30,
        'other socket errors': 7,
        timeouts: 3,
        'non-2xx': 2,
        'reload failed': 1,
      },
      context: { requests: 9000, 'reload ms': 2346, 'load s': 10.4 },
    });
  });

  it('is all zeros for a clean reload', () => {
    const clean = { ...load, errors: 0, timeouts: 0, non2xx: 0 };
    const { counts } = reloadCounts(clean, 0, { ok: true, durationMs: 1 });
    expect(Object.values(counts).every((n) => n === 0)).toBe(true);
  });
});

describe('isConnectionReset', () => {
  it('recognises resets and broken pipes by code, nothing else', () => {
    expect(isConnectionReset(Object.assign(new Error('x'), { code: 'ECONNRESET' }))).toBe(true);
    expect(isConnectionReset(Object.assign(new Error('x'), { code: 'EPIPE' }))).toBe(true);
    expect(isConnectionReset(Object.assign(new Error('x'), { code: 'ECONNREFUSED' }))).toBe(false);
    expect(isConnectionReset(new Error('request timed out'))).toBe(false);
    expect(isConnectionReset(undefined)).toBe(false);
  });
});
