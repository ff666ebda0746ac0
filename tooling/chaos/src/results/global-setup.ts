import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { reliabilityPage } from './reliability-page.js';
import type { ScenarioReport } from './scenario-report.js';
import { summaryTable } from './summary-table.js';

/** Set by `pnpm test:chaos --report` (bin/chaos.mjs): the page to write, docs/reliability.md. */
export const REPORT_VARIABLE = 'KF_CHAOS_REPORT';

// Each scenario writes its report to a shared folder (record-scenario.ts); once every file has
// run, the summary is printed, and written as docs/reliability.md when asked.
export default function setup(project: TestProject): () => void {
  const dir = mkdtempSync(join(tmpdir(), 'kf-chaos-'));
  project.provide('chaosResultsDir', dir);
  return () => {
    const reports = readdirSync(dir)
      .filter((name) => name.endsWith('.json'))
      .map((name) => JSON.parse(readFileSync(join(dir, name), 'utf8')) as ScenarioReport);
    rmSync(dir, { recursive: true, force: true });
    if (reports.length === 0) return;
    process.stdout.write(`\nkoa-fleet chaos suite\n\n${summaryTable(reports)}\n\n`);
    const page = process.env[REPORT_VARIABLE];
    // The page holds the scenarios that ran: --report is for the whole suite.
    if (page) {
      writeFileSync(page, reliabilityPage(reports));
      process.stdout.write(`written: ${page}\n`);
    }
  };
}
