import { describe, expect, it } from 'vitest';
import { renderMarkdown } from '../src/report/markdown.js';
import { summarize } from '../src/report/results.js';
import { demoRun, scenario } from './fixtures.js';

function compared() {
  const run = demoRun();
  run.scenario = {
    ...scenario,
    comparisons: [
      { contender: 'b', against: 'c', target: 3 },
      { contender: 'c', against: 'b' },
    ],
  };
  return summarize(run);
}

describe('comparisons besides the baseline ratio', () => {
  it('takes the ratio of the two medians and the ratio within each repeat', () => {
    const hello = compared().loads[0]!;
    expect(hello.comparisons).toEqual([
      { contender: 'b', against: 'c', ratio: 4, repeatRatios: [4, 5.75, 2.833], target: 3 },
      { contender: 'c', against: 'b', ratio: 0.25, repeatRatios: [0.25, 0.174, 0.353] },
    ]);
  });

  it('are left out of scenarios that ask for none', () => {
    expect(summarize(demoRun()).loads[0]).not.toHaveProperty('comparisons');
    expect(
      renderMarkdown({ note: 'n', updatedAt: 'u', scenarios: { demo: summarize(demoRun()) } }),
    ).not.toContain('throughput of / over');
  });

  it('are rendered per load with their target, met or not', () => {
    const markdown = renderMarkdown({ note: 'n', updatedAt: 'u', scenarios: { demo: compared() } });
    expect(markdown).toContain(
      '| load | throughput of / over | min | median | max | per repeat | target |',
    );
    expect(markdown).toContain(
      '| hello `GET /hello` | b / c | 2.83 | **4.00** | 5.75 | 4.00 · 5.75 · 2.83 | ≥ 3.00 met |',
    );
    expect(markdown).toContain(
      '| cpu `GET /cpu` | b / c | 1.00 | **1.00** | 1.00 | 1.00 · 1.00 · 1.00 | ≥ 3.00 **not met** |',
    );
    expect(markdown).toContain(
      '| cpu `GET /cpu` | c / b | 1.00 | **1.00** | 1.00 | 1.00 · 1.00 · 1.00 | — |',
    );
  });
});

describe('p99 latency comparisons', () => {
  // In demoRun every p99 is 10 ms; here b's p99 is twice c's on hello, in every repeat.
  function withLatency() {
    const run = demoRun();
    for (const m of run.measurements) {
      if (m.load === 'hello' && m.contender === 'b') m.measurement.p99Ms = 20 + m.repeat;
    }
    run.scenario = {
      ...scenario,
      comparisons: [
        { contender: 'b', against: 'c', target: 3 },
        { contender: 'b', against: 'c', metric: 'p99', target: 1.5 },
      ],
    };
    return summarize(run);
  }

  it('divide the p99 medians, and the p99s within each repeat', () => {
    const [throughput, p99] = withLatency().loads[0]!.comparisons!;
    expect(throughput).not.toHaveProperty('metric');
    expect(p99).toEqual({
      contender: 'b',
      against: 'c',
      metric: 'p99',
      ratio: 2.1,
      repeatRatios: [2, 2.1, 2.2],
      target: 1.5,
    });
  });

  it('get a table of their own after the throughput one, the target a ceiling', () => {
    const markdown = renderMarkdown({
      note: 'n',
      updatedAt: 'u',
      scenarios: { demo: withLatency() },
    });
    const throughputTable = markdown.indexOf('| load | throughput of / over |');
    const p99Table = markdown.indexOf(
      '| load | p99 latency of / over | min | median | max | per repeat | target |',
    );
    expect(throughputTable).toBeGreaterThan(-1);
    expect(p99Table).toBeGreaterThan(throughputTable);
    expect(markdown).toContain(
      '| hello `GET /hello` | b / c | 2.00 | **2.10** | 2.20 | 2.00 · 2.10 · 2.20 | ≤ 1.50 **not met** |',
    );
    expect(markdown).toContain(
      '| cpu `GET /cpu` | b / c | 1.00 | **1.00** | 1.00 | 1.00 · 1.00 · 1.00 | ≤ 1.50 met |',
    );
    // The p99 rows stay out of the throughput table.
    expect(markdown.slice(throughputTable, p99Table)).not.toContain('≤');
  });
});
