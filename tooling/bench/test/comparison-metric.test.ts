import { describe, expect, it } from 'vitest';
import { formatTarget, metricValue, targetMet } from '../src/report/comparison-metric.js';
import { measured } from './fixtures.js';

describe('comparison metrics', () => {
  it('read throughput and p99 latency from a measurement', () => {
    const m = measured(1234, { p99Ms: 7.5 });
    expect(metricValue('throughput', m)).toBe(1234);
    expect(metricValue('p99', m)).toBe(7.5);
  });

  it('take a throughput target as a floor and a p99 target as a ceiling', () => {
    expect(targetMet('throughput', 0.65, 0.65)).toBe(true);
    expect(targetMet('throughput', 0.64, 0.65)).toBe(false);
    expect(targetMet('p99', 1.5, 1.5)).toBe(true);
    expect(targetMet('p99', 1.51, 1.5)).toBe(false);
    expect(targetMet('p99', 0.5, 1.5)).toBe(true);
  });

  it('never meet a target with a ratio that could not be taken', () => {
    expect(targetMet('throughput', Number.NaN, 0)).toBe(false);
    expect(targetMet('p99', Number.NaN, 10)).toBe(false);
  });

  it('render the target cell with its bound and verdict', () => {
    expect(formatTarget('throughput', 1.2, 1)).toBe('≥ 1.00 met');
    expect(formatTarget('throughput', 0.9, 1)).toBe('≥ 1.00 **not met**');
    expect(formatTarget('p99', 1.2, 1.5)).toBe('≤ 1.50 met');
    expect(formatTarget('p99', 2, 1.5)).toBe('≤ 1.50 **not met**');
    expect(formatTarget('p99', 2, undefined)).toBe('—');
  });
});
