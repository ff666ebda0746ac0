import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { ReadmeQuoteError } from '../src/errors.js';
import { formatRatio } from '../src/report/format.js';
import { headlinesOf } from '../src/report/headline.js';
import {
  QUOTING_READMES,
  quotedNames,
  updateQuotes,
  writeReadmeQuotes,
} from '../src/report/readme-quotes.js';
import { summarize, type ResultsFile } from '../src/report/results.js';
import { readResults } from '../src/report/write-report.js';
import { scenarios } from '../src/scenarios/index.js';
import { countRun, demoHeadlines, demoRun } from './fixtures.js';

const results: ResultsFile = {
  note: 'n',
  updatedAt: 'u',
  scenarios: { counted: summarize(countRun()), demo: summarize(demoRun()) },
};
const URL_ = 'https://example.test/report.md';

describe('README quotes', () => {
  const readme = [
    '# pkg',
    '',
    'Prose with 0.12 stays.',
    '',
    '<!-- bench:demo -->',
    '',
    '- an old figure',
    '',
    '<!-- /bench -->',
    '',
    'More prose.',
    '',
  ].join('\n');

  it('rewrites the lines between the markers from the results and leaves the rest alone', () => {
    const updated = updateQuotes(readme, results, demoHeadlines, URL_);
    expect(updated).toBe(
      readme.replace(
        '- an old figure',
        '- **demo** — b / a, throughput on hello `GET /hello`: **2.00** (min 1.89, max 2.09 ' +
          `over 3 repeats × 5 s), 2026-11-25 ([report](${URL_}#demo))`,
      ),
    );
    expect(updateQuotes(updated, results, demoHeadlines, URL_)).toBe(updated);
  });

  it('quotes counts as totals, with the target, and every headline for bench:headlines', () => {
    const all = updateQuotes(
      '<!-- bench:headlines -->\n<!-- /bench -->\n',
      results,
      demoHeadlines,
      URL_,
    );
    expect(all.split('\n').filter((line) => line.startsWith('- **'))).toEqual([
      '- **counted** — failures (resets + reload failed), 64 conn.: b **0** vs a 12 (totals ' +
        `over 3 repeats × 5 s: 0 · 0 · 0 vs 5 · 0 · 7; target ≤ 0 met), 2026-11-25 ([report](${URL_}#counted))`,
      expect.stringMatching(/^- \*\*demo\*\* — b \/ a, /) as string,
    ]);
    expect(quotedNames(all)).toEqual(['headlines']);
  });

  it('refuses a block that is never closed, or names a scenario without a headline', () => {
    expect(() =>
      updateQuotes('<!-- bench:demo -->\n- x\n', results, demoHeadlines, URL_),
    ).toThrowError(ReadmeQuoteError);
    expect(() =>
      updateQuotes('<!-- bench:other -->\n<!-- /bench -->\n', results, demoHeadlines, URL_),
    ).toThrowError('a README quotes "other", which has no results');
    expect(() =>
      updateQuotes('<!-- bench:demo -->\n<!-- /bench -->\n', results, {}, URL_),
    ).toThrowError(expect.objectContaining({ code: 'KF_BENCH_README_QUOTE' }) as Error);
  });

  describe('written into README files', () => {
    let root: string | undefined;
    afterEach(() => root && rmSync(root, { recursive: true, force: true }));

    it('rewrites the READMEs whose quotes changed and refuses one that lost its quote', () => {
      root = mkdtempSync(join(tmpdir(), 'bench-quotes-'));
      mkdirSync(join(root, 'pkg'));
      writeFileSync(join(root, 'README.md'), readme);
      writeFileSync(join(root, 'pkg', 'README.md'), 'no quote here\n');
      const readmes = [{ path: 'README.md', reportUrl: URL_, quotes: ['demo'] }];
      expect(writeReadmeQuotes(root, results, demoHeadlines, readmes)).toEqual([
        join(root, 'README.md'),
      ]);
      expect(readFileSync(join(root, 'README.md'), 'utf8')).toContain('**2.00**');
      expect(writeReadmeQuotes(root, results, demoHeadlines, readmes)).toEqual([]);
      const lost = [{ path: 'pkg/README.md', reportUrl: URL_, quotes: ['demo'] }];
      expect(() => writeReadmeQuotes(root!, results, demoHeadlines, lost)).toThrowError(
        'pkg/README.md lacks <!-- bench:demo -->',
      );
    });
  });
});

describe('the figures the repository READMEs quote', () => {
  const root = fileURLToPath(new URL('../../../', import.meta.url));
  const committed = readResults(join(root, 'docs/benchmarks'))!;
  const headlines = headlinesOf(scenarios);

  it.each(QUOTING_READMES.map((r) => [r.path, r] as const))(
    '%s quotes what docs/benchmarks/results.json holds (rewrite with pnpm bench --render)',
    (path, readme) => {
      const text = readFileSync(join(root, path), 'utf8');
      expect(quotedNames(text)).toEqual(expect.arrayContaining([...readme.quotes]));
      expect(text).toBe(updateQuotes(text, committed, headlines, readme.reportUrl));
    },
  );

  it("quote each ratio headline's median as results.json has it", () => {
    const quotes = QUOTING_READMES.map((r) => readFileSync(join(root, r.path), 'utf8')).join('\n');
    for (const s of scenarios) {
      const h = s.headline;
      if (h?.kind !== 'ratio') continue;
      // Looked up in the JSON directly, not through the renderer's own lookup.
      const load = committed.scenarios[s.name]!.loads.find((l) => l.name === h.load)!;
      const ratio =
        load.comparisons?.find((c) => c.contender === h.contender && c.against === h.against)
          ?.ratio ?? load.contenders.find((c) => c.name === h.contender)!.ratio;
      const line = quotes.split('\n').find((l) => l.startsWith(`- **${s.name}** — `));
      expect(line, s.name).toContain(`: **${formatRatio(ratio)}** (min `);
    }
  });
});
