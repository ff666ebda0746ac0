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
      '| load | throughput of / over | ratio | per-repeat ratios | target |',
    );
    expect(markdown).toContain(
      '| hello `GET /hello` | b / c | **4.00** | 4.00 · 5.75 · 2.83 | ≥ 3.00 met |',
    );
    expect(markdown).toContain(
      '| cpu `GET /cpu` | b / c | **1.00** | 1.00 · 1.00 · 1.00 | ≥ 3.00 **not met** |',
    );
    expect(markdown).toContain('| cpu `GET /cpu` | c / b | **1.00** | 1.00 · 1.00 · 1.00 | — |');
  });
});
