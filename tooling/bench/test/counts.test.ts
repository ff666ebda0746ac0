import { describe, expect, it } from 'vitest';
import { renderMarkdown } from '../src/report/markdown.js';
import { summarize, type ResultsFile } from '../src/report/results.js';
import { countRun, demoRun } from './fixtures.js';

describe('summarize for a scenario with its own measure', () => {
  const result = summarize(countRun());
  const mixed = result.counts![0]!;
  const byName = (name: string) => mixed.contenders.find((c) => c.name === name)!;

  it('reports counts instead of throughput loads', () => {
    expect(result.loads).toEqual([]);
    expect(result.counts).toHaveLength(1);
    expect(mixed).toMatchObject({ name: 'mixed', path: '/hello', connections: 64 });
  });

  it('sums each count over the repeats and keeps the runs in repeat order', () => {
    expect(mixed.counts).toEqual(['resets', 'reload failed']);
    expect(byName('a').totals).toEqual({ resets: 12, 'reload failed': 0 });
    expect(byName('b').totals).toEqual({ resets: 0, 'reload failed': 0 });
    expect(byName('a').runs.map((r) => r.counts.resets)).toEqual([5, 0, 7]);
  });

  it('takes the median of each context figure', () => {
    expect(mixed.context).toEqual(['requests']);
    expect(byName('a').context).toEqual({ requests: 200 });
    expect(byName('b').context).toEqual({ requests: 400 });
  });

  it('lists contenders in scenario order, a contender never measured with zero totals', () => {
    const missing = {
      ...countRun(),
      counted: countRun().counted!.filter((c) => c.contender !== 'b'),
    };
    const b = summarize(missing).counts![0]!.contenders[1]!;
    expect(b).toEqual({
      name: 'b',
      totals: { resets: 0, 'reload failed': 0 },
      context: {},
      runs: [],
    });
  });
});

describe('reports of count scenarios', () => {
  const results: ResultsFile = {
    note: 'n',
    updatedAt: 'u',
    scenarios: { counted: summarize(countRun()), demo: summarize(demoRun()) },
  };

  it('renders a count table: totals with per-repeat values, then context medians', () => {
    const markdown = renderMarkdown(results);
    expect(markdown).toContain(
      '| load | contender | resets (total; per repeat) | reload failed (total; per repeat) | requests (median) |',
    );
    expect(markdown).toContain(
      '| mixed `/hello`, 64 conn. | a (baseline) | **12** (5 · 0 · 7) | **0** (0 · 0 · 0) | 200 |',
    );
    expect(markdown).toContain(
      '| mixed `/hello`, 64 conn. | b | **0** (0 · 0 · 0) | **0** (0 · 0 · 0) | 400 |',
    );
    expect(markdown).toContain('warm-up by wrk');
  });

  it('keeps the throughput table of the other scenarios', () => {
    expect(renderMarkdown(results)).toContain(
      '| hello `GET /hello`, 10 conn. | a (baseline) | 1.00 | **1.00** | 1.00 |',
    );
  });
});
