import { describe, expect, it } from 'vitest';
import { median, ratio } from '../src/stats.js';

describe('median and ratio', () => {
  it('takes the middle of an odd count regardless of input order', () => {
    expect(median([30, 10, 20])).toBe(20);
    expect(median([5])).toBe(5);
  });

  it('averages the middle two of an even count', () => {
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });

  it('refuses an empty list', () => {
    expect(() => median([])).toThrowError(RangeError);
  });

  it('rounds a ratio to 3 decimals and gives NaN when the baseline measured nothing', () => {
    expect(ratio(2, 3)).toBe(0.667);
    expect(ratio(300, 100)).toBe(3);
    expect(ratio(5, 0)).toBeNaN();
  });
});
