import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderMarkdown } from './markdown.js';
import { mergeResults, type ResultsFile, type ScenarioResult } from './results.js';
import { renderSvgChart } from './svg-chart.js';

export interface WrittenReport {
  results: ResultsFile;
  files: string[];
}

/**
 * Merges fresh scenario results into `<dir>/results.json` (other scenarios are kept) and
 * re-renders results.md and chart.svg from the merged file, so all three always agree.
 */
export function writeReport(
  dir: string,
  fresh: Record<string, ScenarioResult>,
  now = new Date(),
): WrittenReport {
  mkdirSync(dir, { recursive: true });
  const jsonPath = join(dir, 'results.json');
  const previous = existsSync(jsonPath)
    ? (JSON.parse(readFileSync(jsonPath, 'utf8')) as ResultsFile)
    : undefined;
  const results = mergeResults(previous, fresh, now.toISOString());
  const files = [jsonPath, join(dir, 'results.md'), join(dir, 'chart.svg')];
  writeFileSync(files[0]!, JSON.stringify(results, null, 2) + '\n');
  writeFileSync(files[1]!, renderMarkdown(results));
  writeFileSync(files[2]!, renderSvgChart(results));
  return { results, files };
}
