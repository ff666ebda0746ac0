import { describe, expect, it } from 'vitest';
import { inSecondHalfOfLife } from './lifetime.js';

describe('inSecondHalfOfLife', () => {
  it('is true once less than half of the lifetime is left', () => {
    const now = 1_000_000;
    expect(inSecondHalfOfLife(now + 600, 1000, now)).toBe(false);
    expect(inSecondHalfOfLife(now + 500, 1000, now)).toBe(false);
    expect(inSecondHalfOfLife(now + 499, 1000, now)).toBe(true);
    expect(inSecondHalfOfLife(now - 1, 1000, now)).toBe(true);
  });
});
