import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, inject } from 'vitest';
import {
  describeExpectation,
  missedCounts,
  type CountExpectation,
  type ScenarioReport,
} from './scenario-report.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Where each scenario leaves its report for the summary (global-setup.ts). */
    chaosResultsDir: string;
  }
}

function save(report: ScenarioReport): void {
  const file = join(inject('chaosResultsDir'), `${String(report.order).padStart(6, '0')}.json`);
  writeFileSync(file, JSON.stringify(report, null, 2));
}

/**
 * Records a scenario's counts for the summary table, then asserts its expected counts. Recorded
 * first, so a failing scenario's real counts are in the table too.
 */
export function reportScenario(report: Omit<ScenarioReport, 'skipped'>): void {
  save(report);
  const missed = missedCounts(report);
  const explain = missed
    .map((name) => {
      const expectation = report.expected[name] as CountExpectation;
      return `${name} was ${report.counts[name] ?? 'not counted'}, expected ${describeExpectation(expectation)}`;
    })
    .join('; ');
  expect(missed, `${report.title}: ${explain}`).toEqual([]);
}

/** Records that a scenario could not run on this machine, and why. */
export function reportSkipped(
  report: Pick<ScenarioReport, 'order' | 'title' | 'proves'>,
  reason: string,
): void {
  save({ ...report, counts: {}, expected: {}, skipped: reason });
}
