/** What a count must be: exactly this number, or within a bound. */
export type CountExpectation = number | { atMost: number } | { atLeast: number };

/** One scenario's outcome, as the summary table and docs/reliability.md show it. */
export interface ScenarioReport {
  /** Orders the table: the scenario's number in the suite, e.g. 1 or 6.2. */
  order: number;
  title: string;
  /** One sentence: what passing this scenario shows about the system. */
  proves: string;
  /** Everything counted, e.g. `{ requests: 51234, failed: 0, 'non-2xx': 0 }`. */
  counts: Record<string, number>;
  /** The counts that decide the verdict, and what each must be. */
  expected: Record<string, CountExpectation>;
  /** Set when the scenario could not run here (and why). */
  skipped?: string;
}

/** Whether `value` meets `expectation`. */
export function meets(value: number | undefined, expectation: CountExpectation): boolean {
  if (value === undefined) return false;
  if (typeof expectation === 'number') return value === expectation;
  if ('atMost' in expectation) return value <= expectation.atMost;
  return value >= expectation.atLeast;
}

export function describeExpectation(expectation: CountExpectation): string {
  if (typeof expectation === 'number') return `= ${expectation}`;
  if ('atMost' in expectation) return `≤ ${expectation.atMost}`;
  return `≥ ${expectation.atLeast}`;
}

/** The counts that missed their expectation, by name; empty when the scenario passed. */
export function missedCounts(report: ScenarioReport): string[] {
  return Object.entries(report.expected)
    .filter(([name, expectation]) => !meets(report.counts[name], expectation))
    .map(([name]) => name);
}
