import { describeExpectation, missedCounts, type ScenarioReport } from './scenario-report.js';

const number = new Intl.NumberFormat('en-US');

function verdict(report: ScenarioReport): string {
  if (report.skipped !== undefined) return `skipped: ${report.skipped}`;
  const missed = missedCounts(report);
  return missed.length === 0 ? 'passed' : `**failed** (${missed.join(', ')})`;
}

function counts(report: ScenarioReport): string {
  return Object.entries(report.counts)
    .map(([name, value]) => `${name} ${number.format(value)}`)
    .join(' · ');
}

function expectations(report: ScenarioReport): string {
  return Object.entries(report.expected)
    .map(([name, expectation]) => `${name} ${describeExpectation(expectation)}`)
    .join(' · ');
}

const escape = (text: string) => text.replaceAll('|', '\\|');

/** The scenarios as one markdown table, in suite order. */
export function summaryTable(reports: readonly ScenarioReport[]): string {
  const rows = [...reports]
    .sort((a, b) => a.order - b.order)
    .map((report) =>
      [String(report.order), report.title, counts(report), expectations(report), verdict(report)]
        .map(escape)
        .join(' | '),
    );
  return [
    '| # | scenario | counted | expected | result |',
    '| ---: | --- | --- | --- | --- |',
    ...rows.map((row) => `| ${row} |`),
  ].join('\n');
}

/** What each scenario proves, as a list in suite order. */
export function provesList(reports: readonly ScenarioReport[]): string {
  return [...reports]
    .sort((a, b) => a.order - b.order)
    .map((report) => `- **${report.order}. ${escape(report.title)}** — ${report.proves}`)
    .join('\n');
}
