import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ReadmeQuoteError } from '../errors.js';
import { formatRatio } from './format.js';
import { figurePerRepeat, headlineFigure, type Headlines } from './headline.js';
import type { ResultsFile } from './results.js';

/** Where package READMEs link the report: npm shows them without the repository around them. */
export const REPORT_URL =
  'https://github.com/koa-fleet/koa-fleet/blob/main/docs/benchmarks/README.md';

/** A README that quotes headline figures, and the quotes it must have. */
export interface QuotingReadme {
  /** Relative to the repository root. */
  path: string;
  /** How it links the report. */
  reportUrl: string;
  /** Scenario names of its `<!-- bench:<name> -->` blocks; `headlines` quotes every scenario. */
  quotes: readonly string[];
}

export const ALL_HEADLINES = 'headlines';

/** The READMEs `pnpm bench` and `pnpm bench --render` keep in step with results.json. */
export const QUOTING_READMES: readonly QuotingReadme[] = [
  { path: 'README.md', reportUrl: 'docs/benchmarks/README.md', quotes: [ALL_HEADLINES] },
  { path: 'packages/balancer/README.md', reportUrl: REPORT_URL, quotes: ['balancer'] },
  { path: 'packages/cluster/README.md', reportUrl: REPORT_URL, quotes: ['cluster', 'reload'] },
  { path: 'packages/health/README.md', reportUrl: REPORT_URL, quotes: ['health'] },
  { path: 'packages/session/README.md', reportUrl: REPORT_URL, quotes: ['session'] },
];

const START = /^<!-- bench:([\w.+-]+) -->$/;
const END = '<!-- /bench -->';

/** One bullet per scenario `name` names (every scenario with a headline for `headlines`). */
export function renderQuote(
  name: string,
  results: ResultsFile,
  headlines: Headlines,
  reportUrl: string,
): string[] {
  const names =
    name === ALL_HEADLINES
      ? Object.keys(results.scenarios).filter((n) => headlines[n] !== undefined)
      : [name];
  return names.map((scenario) => {
    const result = results.scenarios[scenario];
    const headline = headlines[scenario];
    if (!result || !headline) {
      throw new ReadmeQuoteError(
        `a README quotes "${scenario}", which has no ${result ? 'headline' : 'results'}`,
      );
    }
    const figure = headlineFigure(scenario, result, headline);
    const repeats = `${result.repeats} repeats × ${result.durationSec} s`;
    const target = figure.target === '—' ? '' : `; target ${figure.target}`;
    const measured =
      figure.kind === 'ratio'
        ? `**${formatRatio(figure.median)}** (min ${formatRatio(figure.min)}, max ` +
          `${formatRatio(figure.max)} over ${repeats}${target})`
        : `${figure.contender} **${figure.total}** vs ${figure.against} ${figure.againstTotal} ` +
          `(totals over ${repeats}: ${figurePerRepeat(figure)}${target})`;
    return (
      `- **${scenario}** — ${figure.label}: ${measured}, ${result.date.slice(0, 10)} ` +
      `([report](${reportUrl}#${scenario}))`
    );
  });
}

/** The `<!-- bench:<name> -->` blocks of a README, by name, in order. */
export function quotedNames(text: string): string[] {
  return text.split('\n').flatMap((line) => START.exec(line.trim())?.[1] ?? []);
}

/** `text` with every quote block rewritten from `results`; the rest of it untouched. */
export function updateQuotes(
  text: string,
  results: ResultsFile,
  headlines: Headlines,
  reportUrl: string,
): string {
  const lines = text.split('\n');
  const out: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const name = START.exec(lines[i]!.trim())?.[1];
    out.push(lines[i]!);
    if (name === undefined) continue;
    const end = lines.findIndex((line, j) => j > i && line.trim() === END);
    if (end === -1) throw new ReadmeQuoteError(`<!-- bench:${name} --> has no ${END} after it`);
    out.push('', ...renderQuote(name, results, headlines, reportUrl), '', lines[end]!);
    i = end;
  }
  return out.join('\n');
}

/**
 * Rewrites the quote blocks of every README in `readmes` (under `root`) from `results`; throws
 * when one lacks a quote it must have. Returns the files that changed.
 */
export function writeReadmeQuotes(
  root: string,
  results: ResultsFile,
  headlines: Headlines,
  readmes: readonly QuotingReadme[] = QUOTING_READMES,
): string[] {
  return readmes.flatMap((readme) => {
    const path = join(root, readme.path);
    if (!existsSync(path)) throw new ReadmeQuoteError(`${readme.path} is missing`);
    const text = readFileSync(path, 'utf8');
    const missing = readme.quotes.filter((q) => !quotedNames(text).includes(q));
    if (missing.length > 0) {
      throw new ReadmeQuoteError(
        `${readme.path} lacks ${missing.map((q) => `<!-- bench:${q} -->`).join(', ')}`,
      );
    }
    const updated = updateQuotes(text, results, headlines, readme.reportUrl);
    if (updated === text) return [];
    writeFileSync(path, updated);
    return [path];
  });
}
