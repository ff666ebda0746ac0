import { describe, expect, it } from 'vitest';
import { checkLifetime, inSecondHalfOfLife, lifetimeOf } from './lifetime.js';

describe('inSecondHalfOfLife', () => {
  it('is true once less than half of the lifetime is left', () => {
    const now = 1_000_000;
    expect(inSecondHalfOfLife(now + 600, 1000, now)).toBe(false);
    expect(inSecondHalfOfLife(now + 500, 1000, now)).toBe(false);
    expect(inSecondHalfOfLife(now + 499, 1000, now)).toBe(true);
    expect(inSecondHalfOfLife(now - 1, 1000, now)).toBe(true);
  });
});

describe('lifetimeOf', () => {
  it('records koa-session’s bookkeeping and the store’s margin for a save now', () => {
    expect(lifetimeOf(60_000, 1_000)).toEqual({
      meta: { expire: 61_000, lifetime: 60_000 },
      storeMs: 70_000,
    });
    expect(lifetimeOf('session', 1_000)).toEqual({
      meta: { lifetime: 'session' },
      storeMs: undefined,
    });
  });
});

describe('checkLifetime', () => {
  it('takes ms, text or session, and names the option otherwise', () => {
    expect(checkLifetime('maxAge', 1000)).toBe(1000);
    expect(checkLifetime('maxAge', '1h')).toBe(3_600_000);
    expect(checkLifetime('maxAge', 'session')).toBe('session');
    expect(() => checkLifetime('maxAge', 0)).toThrow(
      `option "maxAge" must be a positive duration (ms, or text such as '1d') or 'session', got 0`,
    );
  });
});
