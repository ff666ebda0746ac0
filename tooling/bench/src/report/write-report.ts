import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Headlines } from './headline.js';
import { renderMarkdown } from './markdown.js';
import { mergeResults, type ResultsFile, type ScenarioResult } from './results.js';
import { chartFileName, renderScenarioChart } from './svg-chart.js';

export interface WrittenReport {
  results: ResultsFile;
  files: string[];
}

/** `<dir>/results.json`, or undefined when there is none yet. */
export function readResults(dir: string): ResultsFile | undefined {
  const jsonPath = join(dir, 'results.json');
  return existsSync(jsonPath)
    ? (JSON.parse(readFileSync(jsonPath, 'utf8')) as ResultsFile)
    : undefined;
}

/**
 * Merges fresh scenario results into `<dir>/results.json` (other scenarios are kept) and
 * re-renders the report from the merged file, so the data and the page always agree.
 */
export function writeReport(
  dir: string,
  fresh: Record<string, ScenarioResult>,
  headlines: Headlines,
  now = new Date(),
): WrittenReport {
  mkdirSync(dir, { recursive: true });
  const results = mergeResults(readResults(dir), fresh, now.toISOString());
  const jsonPath = join(dir, 'results.json');
  writeFileSync(jsonPath, JSON.stringify(results, null, 2) + '\n');
  return { results, files: [jsonPath, ...renderReport(dir, results, headlines)] };
}

/** `<dir>/README.md` and one `<scenario>.svg` per scenario, from `results`; measures nothing. */
export function renderReport(dir: string, results: ResultsFile, headlines: Headlines): string[] {
  mkdirSync(dir, { recursive: true });
  const page = join(dir, 'README.md');
  writeFileSync(page, renderMarkdown(results, headlines));
  const charts = Object.entries(results.scenarios).map(([name, scenario]) => {
    const path = join(dir, chartFileName(name));
    writeFileSync(path, renderScenarioChart(name, scenario));
    return path;
  });
  return [page, ...charts];
}
