import { describe, expect, it } from 'vitest';
import { engineDuration, nginxSize, readableSize } from './engine-units.js';

describe('engine units', () => {
  it('writes a duration in seconds or hours when exact, else in milliseconds', () => {
    expect(
      [0, 500, 1_500, 10_000, 60_000, 300_000, 7_200_000, 5_400_000].map(engineDuration),
    ).toEqual(['0', '500ms', '1500ms', '10s', '60s', '300s', '2h', '5400s']);
  });

  it('writes a size as nginx reads it', () => {
    expect([0, 1000, 16_384, 10 * 1024 ** 2, 1024 ** 3, 1536].map(nginxSize)).toEqual([
      '0',
      '1000',
      '16k',
      '10m',
      '1g',
      '1536',
    ]);
    expect([512, 65_536, 1_572_864].map(readableSize)).toEqual(['512 bytes', '64 kB', '1.5 MB']);
  });
});
