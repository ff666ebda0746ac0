import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { renderMarkdown } from '../src/report/markdown.js';
import { summarize, type ResultsFile } from '../src/report/results.js';
import { escapeXml, renderScenarioChart } from '../src/report/svg-chart.js';
import { readResults, renderReport, writeReport } from '../src/report/write-report.js';
import { countRun, demoHeadlines, demoRun, demoRunWithoutP50P90, healthRun } from './fixtures.js';

const results: ResultsFile = {
  note: 'n',
  updatedAt: 'u',
  scenarios: { counted: summarize(countRun()), demo: summarize(demoRun()) },
};

describe('the report page', () => {
  const markdown = renderMarkdown(results, demoHeadlines);

  it('states that these are ratios on a noisy machine, and per scenario the machine and run', () => {
    expect(markdown).toContain('Ratios, not absolute times; 2-core machine, noisy.');
    expect(markdown).toContain(
      '- **Machine**: 2 × Test CPU, 4096 MB memory, Node v20.20.0, linux-x64, load average 1.5 before the run.',
    );
    expect(markdown).toContain(
      '- **Run**: 2026-11-25, 3 interleaved repeats × 5 s after 1 s warm-up, load by wrk — `pnpm bench demo --repeats 3 --duration 5 --warmup 1`.',
    );
  });

  it('has one throughput row per load and contender: min, median, max, every repeat, errors', () => {
    expect(markdown).toContain(
      '| hello `GET /hello`, 10 conn. | a (baseline) | 1.00 | **1.00** | 1.00 | 1.00 · 1.00 · 1.00 | 100 | 0 |',
    );
    expect(markdown).toContain(
      '| hello `GET /hello`, 10 conn. | b | 1.89 | **2.00** | 2.09 | 2.00 · 2.09 · 1.89 | 200 | 0 |',
    );
    expect(markdown).toContain(
      '| cpu `GET /cpu`, 20 conn. | c | 1.00 | **1.00** | 1.00 | 1.00 · 1.00 · 1.00 | 10 | 12 |',
    );
    const throughputRow =
      /^\| (hello|cpu) `GET \/\w+`, \d+ conn\. \| \w+( \(baseline\))? \| [\d.]+ \| \*\*/gm;
    expect(markdown.match(throughputRow)).toHaveLength(6);
  });

  it('has the latency percentiles p50, p90 and p99 of every contender, in ms', () => {
    expect(markdown).toContain('| load | contender | p50 ms | p90 ms | p99 ms |');
    expect(markdown).toContain('| hello `GET /hello`, 10 conn. | b | 2.00 | 6.00 | 10.00 |');
    expect(markdown.match(/^\| (hello|cpu) .* \| 2\.00 \| 6\.00 \| 10\.00 \|$/gm)).toHaveLength(6);
  });

  it('prints — for the p50 and p90 of runs recorded before they were kept', () => {
    const old = { ...results, scenarios: { demo: summarize(demoRunWithoutP50P90()) } };
    const page = renderMarkdown(old, demoHeadlines);
    expect(page).toContain('| hello `GET /hello`, 10 conn. | b | — | — | 10.00 |');
    expect(page).not.toMatch(/\| 2\.00 \| 6\.00 \|/);
  });

  it('opens with a headline row per scenario: its figure with min, median, max and target', () => {
    const headline = markdown.slice(
      markdown.indexOf('## Headline'),
      markdown.indexOf('## counted'),
    );
    expect(headline).toContain(
      '| [demo](#demo) | b / a, throughput on hello `GET /hello` | 1.89 · **2.00** · 2.09 | 2.00 · 2.09 · 1.89 | — | 2026-11-25, 3 × 5 s |',
    );
    expect(headline).toContain(
      '| [counted](#counted) | failures (resets + reload failed), 64 conn.: b vs a | **0** vs 12 | 0 · 0 · 0 vs 5 · 0 · 7 | ≤ 0 met | 2026-11-25, 3 × 5 s |',
    );
  });

  it("embeds each scenario's own chart and says which targets were met", () => {
    expect(markdown).toContain('![demo: throughput ratio to a per contender');
    expect(markdown).toContain('](./demo.svg)');
    expect(markdown).toContain(
      '![counted: each count per contender, totals over the repeats](./counted.svg)',
    );
    expect(markdown).toContain('- **Targets**: 1 of 1 met — failures, b: ≤ 0 met (0).');
  });

  it('ends with the commands that reproduce each scenario and re-render the page', () => {
    const reproduce = markdown.slice(markdown.indexOf('## Reproduce'));
    expect(reproduce).toContain('pnpm bench counted --repeats 3 --duration 5 --warmup 1\n');
    expect(reproduce).toContain('pnpm bench demo --repeats 3 --duration 5 --warmup 1\n');
    expect(reproduce).toContain('pnpm bench --render\n');
  });

  it('prints n/a for a ratio that could not be taken', () => {
    const broken = structuredClone(results);
    broken.scenarios.demo!.loads[0]!.contenders[1]!.ratio = Number.NaN;
    expect(renderMarkdown(broken)).toMatch(/\| b \| 1\.89 \| \*\*n\/a\*\* \| 2\.09 \|/);
  });
});

describe('a scenario chart', () => {
  const bars = (svg: string) =>
    [...svg.matchAll(/<rect x="230" y="[\d.]+" width="([\d.]+)"/g)].map((m) => Number(m[1]));

  it('draws one bar per contender and load, its width proportional to the median ratio', () => {
    const svg = renderScenarioChart('demo', results.scenarios.demo!);
    expect(bars(svg)).toHaveLength(6);
    const [a, b, c] = bars(svg);
    expect(b! / a!).toBeCloseTo(2, 2);
    expect(c! / a!).toBeCloseTo(0.5, 2);
  });

  it("spans each non-baseline bar's lowest to highest per-repeat ratio with a line", () => {
    const svg = renderScenarioChart('demo', results.scenarios.demo!);
    const ranges = [
      ...svg.matchAll(/<line class="range" x1="([\d.]+)" y1="[\d.]+" x2="([\d.]+)"/g),
    ];
    expect(ranges).toHaveLength(4);
    const [a] = bars(svg);
    const [low, high] = [Number(ranges[0]![1]) - 230, Number(ranges[0]![2]) - 230];
    expect(low / a!).toBeCloseTo(1.889, 2);
    expect(high / a!).toBeCloseTo(2.091, 2);
  });

  it('draws a labelled dashed reference line at 1.0 and labels each bar with its ratio', () => {
    const svg = renderScenarioChart('demo', results.scenarios.demo!);
    expect(svg).toMatch(/<line [^>]*stroke-dasharray="5 3"\/>/);
    expect(svg).toContain('1.0 = baseline');
    expect(svg).toContain('>2.00</text>');
    expect(svg).toContain('>a (baseline)</text>');
    expect(svg).toContain('>hello (GET /hello, 10 conn.)</text>');
  });

  it('draws the totals of a count scenario, one bar per count and contender, no 1.0 line', () => {
    const svg = renderScenarioChart('counted', results.scenarios.counted!);
    const widths = bars(svg);
    expect(widths).toHaveLength(4);
    expect(widths.filter((w) => w > 0)).toHaveLength(1); // a's 12 resets; the rest are 0
    expect(svg).toContain('>resets (mixed, 64 conn.)</text>');
    expect(svg).toContain('>12</text>');
    expect(svg).not.toContain('stroke-dasharray');
  });

  it('is a single svg element whose tags all close, its text escaped', () => {
    const svg = renderScenarioChart('demo', results.scenarios.demo!);
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg.trimEnd().endsWith('</svg>')).toBe(true);
    expect(svg.match(/<text\b/g)?.length).toBe(svg.match(/<\/text>/g)?.length);
    expect(escapeXml(`a<b & "c"`)).toBe('a&#60;b &#38; &#34;c&#34;');
  });
});

describe('the report files', () => {
  let dir: string | undefined;
  afterEach(() => dir && rmSync(dir, { recursive: true, force: true }));

  it('writes results.json, README.md and one chart per scenario, keeping earlier scenarios', () => {
    dir = mkdtempSync(join(tmpdir(), 'bench-report-'));
    const demo = summarize(demoRun());
    writeReport(dir, { counted: summarize(countRun()) }, demoHeadlines);
    const { files } = writeReport(dir, { demo }, demoHeadlines, new Date('2026-01-02T03:04:05Z'));
    expect(files.map((f) => f.slice(dir!.length + 1))).toEqual([
      'results.json',
      'README.md',
      'counted.svg',
      'demo.svg',
    ]);
    expect(readdirSync(dir).sort()).toEqual([
      'README.md',
      'counted.svg',
      'demo.svg',
      'results.json',
    ]);
    const json = readResults(dir)!;
    expect(Object.keys(json.scenarios)).toEqual(['counted', 'demo']);
    expect(json.updatedAt).toBe('2026-01-02T03:04:05.000Z');
    const page = readFileSync(join(dir, 'README.md'), 'utf8');
    expect(page).toContain('## counted');
    expect(page).toContain('## demo');
    expect(readFileSync(join(dir, 'demo.svg'), 'utf8')).toContain('>b</text>');
  });

  it('renders the same page and charts again from results.json alone', () => {
    dir = mkdtempSync(join(tmpdir(), 'bench-report-'));
    writeReport(dir, results.scenarios, demoHeadlines);
    const before = ['README.md', 'counted.svg', 'demo.svg'].map((f) =>
      readFileSync(join(dir!, f), 'utf8'),
    );
    for (const f of ['README.md', 'counted.svg', 'demo.svg']) writeFileSync(join(dir, f), 'stale');
    renderReport(dir, readResults(dir)!, demoHeadlines);
    const after = ['README.md', 'counted.svg', 'demo.svg'].map((f) =>
      readFileSync(join(dir!, f), 'utf8'),
    );
    expect(after).toEqual(before);
  });
});

describe('pnpm bench --render', () => {
  let dir: string | undefined;
  afterEach(() => dir && rmSync(dir, { recursive: true, force: true }));
  const cli = fileURLToPath(new URL('../src/cli.ts', import.meta.url));
  const tsx = fileURLToPath(new URL('../node_modules/.bin/tsx', import.meta.url));

  it('rewrites the page and a chart per scenario of a results.json, measuring nothing', async () => {
    dir = mkdtempSync(join(tmpdir(), 'bench-render-'));
    // A scenario of the registry, so its headline is found; the figures are the fixture's.
    const health = summarize(healthRun());
    writeFileSync(join(dir, 'results.json'), JSON.stringify({ ...results, scenarios: { health } }));
    const { stdout } = await promisify(execFile)(tsx, [cli, '--render', '--out', dir]);
    expect(stdout).toContain(`wrote ${join(dir, 'README.md')}, ${join(dir, 'health.svg')}`);
    expect(readdirSync(dir).sort()).toEqual(['README.md', 'health.svg', 'results.json']);
    expect(readFileSync(join(dir, 'README.md'), 'utf8')).toContain(
      '| [health](#health) | koa+health / koa, throughput on hello `GET /hello` | 1.89 · **2.00** · 2.09 |',
    );
  });

  it('fails with KF_BENCH_NO_RESULTS where there is no results.json', async () => {
    dir = mkdtempSync(join(tmpdir(), 'bench-render-'));
    const run = promisify(execFile)(tsx, [cli, '--render', '--out', dir]);
    await expect(run).rejects.toMatchObject({
      code: 1,
      stderr: expect.stringContaining('no results.json') as string,
    });
  });
});
