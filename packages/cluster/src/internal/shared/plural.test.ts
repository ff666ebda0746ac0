import { describe, expect, it } from 'vitest';
import { describeAddress, plural } from './plural.js';

describe('plural and describeAddress', () => {
  it('counts in words and never writes a range of one port', () => {
    expect(plural(1, 'worker')).toBe('1 worker');
    expect(plural(3, 'worker')).toBe('3 workers');
    expect(describeAddress('127.0.0.1', [3300])).toBe('127.0.0.1:3300');
    expect(describeAddress('127.0.0.1', [3300, 3300])).toBe('127.0.0.1:3300');
    expect(describeAddress('127.0.0.1', [3302, 3300, 3301])).toBe('127.0.0.1:3300-3302');
    expect(describeAddress('127.0.0.1', [3300, 3305])).toBe('127.0.0.1:3300,3305');
  });
});
