import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { renderMarkdown } from '../src/report/markdown.js';
import { summarize, type ResultsFile } from '../src/report/results.js';
import { escapeXml, renderSvgChart } from '../src/report/svg-chart.js';
import { writeReport } from '../src/report/write-report.js';
import { demoRun } from './fixtures.js';

const results: ResultsFile = {
  note: 'n',
  updatedAt: 'u',
  scenarios: { demo: summarize(demoRun()) },
};

describe('markdown report', () => {
  const markdown = renderMarkdown(results);

  it('states that these are ratios on a noisy machine of the measured core count', () => {
    expect(markdown).toContain('Ratios, not absolute times; 2-core machine, noisy.');
    expect(markdown).toContain('2 × Test CPU, load average 1.5 before the run, Node v20.20.0');
  });

  it('has one table row per load and contender with ratio, per-repeat ratios and errors', () => {
    expect(markdown).toContain(
      '| hello `GET /hello`, 10 conn. | a (baseline) | **1.00** | 1.00 · 1.00 · 1.00 | 100 | 10.00 | 0 |',
    );
    expect(markdown).toContain(
      '| hello `GET /hello`, 10 conn. | b | **2.00** | 2.00 · 2.09 · 1.89 | 200 | 10.00 | 0 |',
    );
    expect(markdown).toContain(
      '| cpu `GET /cpu`, 20 conn. | c | **1.00** | 1.00 · 1.00 · 1.00 | 10 | 10.00 | 12 |',
    );
    expect(markdown.match(/^\| (hello|cpu) /gm)).toHaveLength(6);
  });

  it('prints n/a for a ratio that could not be taken', () => {
    const broken = structuredClone(results);
    broken.scenarios.demo!.loads[0]!.contenders[1]!.ratio = Number.NaN;
    expect(renderMarkdown(broken)).toMatch(/\| b \| \*\*n\/a\*\* \|/);
  });
});

describe('SVG chart', () => {
  const svg = renderSvgChart(results);

  it('draws one bar per contender and load, its width proportional to the ratio', () => {
    const bars = [...svg.matchAll(/<rect x="230" y="[\d.]+" width="([\d.]+)"/g)].map((m) =>
      Number(m[1]),
    );
    expect(bars).toHaveLength(6);
    const [a, b, c] = bars;
    expect(b! / a!).toBeCloseTo(2, 2);
    expect(c! / a!).toBeCloseTo(0.5, 2);
  });

  it('draws a labelled dashed reference line at 1.0 and labels each bar with its ratio', () => {
    expect(svg).toMatch(/<line [^>]*stroke-dasharray="5 3"\/>/);
    expect(svg).toContain('1.0 = baseline');
    expect(svg).toContain('>2.00</text>');
    expect(svg).toContain('>a (baseline)</text>');
    expect(svg).toContain('>hello (GET /hello)</text>');
  });

  it('is a single svg element whose tags all close', () => {
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg.trimEnd().endsWith('</svg>')).toBe(true);
    expect(svg.match(/<text\b/g)?.length).toBe(svg.match(/<\/text>/g)?.length);
  });

  it('escapes text so scenario names cannot break the markup', () => {
    expect(escapeXml(`a<b & "c"`)).toBe('a&#60;b &#38; &#34;c&#34;');
  });
});

describe('writeReport', () => {
  let dir: string | undefined;
  afterEach(() => dir && rmSync(dir, { recursive: true, force: true }));

  it('writes results.json, results.md and chart.svg and keeps scenarios of earlier runs', () => {
    dir = mkdtempSync(join(tmpdir(), 'bench-report-'));
    const demo = summarize(demoRun());
    writeReport(dir, { other: demo });
    const { files } = writeReport(dir, { demo }, new Date('2026-01-02T03:04:05Z'));
    expect(files.map((f) => f.slice(dir!.length + 1))).toEqual([
      'results.json',
      'results.md',
      'chart.svg',
    ]);
    const json = JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8')) as ResultsFile;
    expect(Object.keys(json.scenarios)).toEqual(['demo', 'other']);
    expect(json.updatedAt).toBe('2026-01-02T03:04:05.000Z');
    expect(readFileSync(join(dir, 'results.md'), 'utf8')).toContain('## other');
    expect(readFileSync(join(dir, 'chart.svg'), 'utf8')).toContain('>other</text>');
  });
});
