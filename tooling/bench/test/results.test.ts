import { describe, expect, it } from 'vitest';
import { mergeResults, RESULTS_NOTE, summarize } from '../src/report/results.js';
import { demoRun } from './fixtures.js';

describe('summarize', () => {
  const result = summarize(demoRun());
  const hello = result.loads.find((l) => l.name === 'hello')!;
  const cpu = result.loads.find((l) => l.name === 'cpu')!;
  const byName = (load: typeof hello, name: string) =>
    load.contenders.find((c) => c.name === name)!;

  it('reports the median throughput and its ratio to the baseline', () => {
    expect(byName(hello, 'a')).toMatchObject({ medianRps: 100, ratio: 1 });
    expect(byName(hello, 'b')).toMatchObject({ medianRps: 200, ratio: 2 });
    expect(byName(hello, 'c')).toMatchObject({ medianRps: 50, ratio: 0.5 });
  });

  it('keeps runs in repeat order and pairs per-repeat ratios by repeat', () => {
    expect(byName(hello, 'b').runs.map((r) => r.requestsPerSec)).toEqual([200, 230, 170]);
    expect(byName(hello, 'b').repeatRatios).toEqual([2, 2.091, 1.889]);
  });

  it('sums non-2xx responses and socket errors over all runs', () => {
    expect(byName(cpu, 'c').errors).toBe(3 * 4);
    expect(byName(cpu, 'a').errors).toBe(0);
  });

  it('carries what is needed to judge the figures: machine, tool, repeats, baseline', () => {
    expect(result).toMatchObject({
      baseline: 'a',
      loadTool: 'wrk',
      repeats: 3,
      durationSec: 5,
      machine: { cpus: 2, node: 'v20.20.0' },
    });
    expect(hello).toMatchObject({ path: '/hello', connections: 10 });
  });
});

describe('mergeResults', () => {
  it('replaces the scenarios just run and keeps every other scenario', () => {
    const demo = summarize(demoRun());
    const older = { ...demo, date: '2020-01-01T00:00:00.000Z' };
    const previous = { note: 'old', updatedAt: 'then', scenarios: { zeta: older, demo: older } };
    const merged = mergeResults(previous, { demo }, 'now');
    expect(Object.keys(merged.scenarios)).toEqual(['demo', 'zeta']);
    expect(merged.scenarios.demo).toBe(demo);
    expect(merged.scenarios.zeta).toBe(older);
    expect(merged).toMatchObject({ note: RESULTS_NOTE, updatedAt: 'now' });
  });

  it('starts a fresh file when there was none', () => {
    const demo = summarize(demoRun());
    expect(mergeResults(undefined, { demo }, 'now').scenarios).toEqual({ demo });
  });
});
