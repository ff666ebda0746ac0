import { describe, expect, it } from 'vitest';
import { HeadlineNotFoundError } from '../src/errors.js';
import { headlineFigure, headlinesOf } from '../src/report/headline.js';
import { summarize } from '../src/report/results.js';
import { scenarios } from '../src/scenarios/index.js';
import { countRun, demoRun, scenario } from './fixtures.js';

describe('a headline figure', () => {
  const demo = summarize(demoRun());

  it("is a contender's ratio to the baseline, with the lowest and highest repeat", () => {
    const figure = headlineFigure('demo', demo, {
      kind: 'ratio',
      load: 'hello',
      contender: 'b',
      against: 'a',
    });
    expect(figure).toMatchObject({
      kind: 'ratio',
      label: 'b / a, throughput on hello `GET /hello`',
      median: 2,
      min: 1.889,
      max: 2.091,
      repeatRatios: [2, 2.091, 1.889],
      target: '—',
      met: undefined,
    });
  });

  it('is a comparison when the scenario has one, with its target judged', () => {
    const run = demoRun();
    run.scenario = { ...scenario, comparisons: [{ contender: 'c', against: 'b', target: 0.3 }] };
    const figure = headlineFigure('demo', summarize(run), {
      kind: 'ratio',
      load: 'hello',
      contender: 'c',
      against: 'b',
    });
    expect(figure).toMatchObject({ median: 0.25, target: '≥ 0.30 **not met**', met: false });
  });

  it('is the totals of some counts of two contenders for a count scenario', () => {
    const figure = headlineFigure('counted', summarize(countRun()), {
      kind: 'counts',
      load: 'mixed',
      contender: 'a',
      against: 'b',
      counts: ['resets', 'reload failed'],
      label: 'failures',
      target: 0,
    });
    expect(figure).toMatchObject({
      total: 12,
      perRepeat: [5, 0, 7],
      againstTotal: 0,
      againstPerRepeat: [0, 0, 0],
      target: '≤ 0 **not met**',
      met: false,
    });
  });

  it('throws KF_BENCH_HEADLINE when the results lack what the headline names', () => {
    const ratio = { kind: 'ratio', contender: 'b', against: 'c' } as const;
    expect(() => headlineFigure('demo', demo, { ...ratio, load: 'nope' })).toThrowError(
      HeadlineNotFoundError,
    );
    // b / c is no comparison of demo, and c is not its baseline.
    expect(() => headlineFigure('demo', demo, { ...ratio, load: 'hello' })).toThrowError(
      'the headline of scenario "demo" names the throughput of b / c, not in its results',
    );
    expect(() =>
      headlineFigure('counted', summarize(countRun()), {
        kind: 'counts',
        load: 'mixed',
        contender: 'a',
        against: 'b',
        counts: ['lost'],
        label: 'x',
      }),
    ).toThrowError(expect.objectContaining({ code: 'KF_BENCH_HEADLINE' }) as Error);
  });

  it("names, in every registered scenario, a load and contenders of the scenario's own", () => {
    const headlines = headlinesOf(scenarios);
    for (const s of scenarios) {
      const headline = headlines[s.name];
      expect(headline, s.name).toBeDefined();
      expect(
        s.loads.map((l) => l.name),
        s.name,
      ).toContain(headline!.load);
      const names = s.contenders.map((c) => c.name);
      expect(names, s.name).toEqual(
        expect.arrayContaining([headline!.contender, headline!.against]),
      );
    }
  });
});
