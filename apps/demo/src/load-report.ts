import type { WorkerCount } from './load-tally.js';

export interface LoadReportInput {
  workers: WorkerCount[];
  /** Answers that did not come from a worker's `GET /` (balancer errors, other bodies). */
  other: number;
  /** The balancer's configured weight per backend port. */
  weights: ReadonlyMap<number, number>;
  errors: number;
  durationSeconds: number;
  latency: { p50: number; p90: number; p99: number; max: number };
}

/**
 * The table `demo:load` prints: requests per worker process against the share its configured
 * weight promises, then the latency percentiles.
 */
export function loadReport(input: LoadReportInput): string {
  const counted = input.workers.reduce((sum, worker) => sum + worker.requests, 0);
  const totalWeight = [...input.weights.values()].reduce((sum, weight) => sum + weight, 0);
  const rows = input.workers.map((worker) => {
    const weight = input.weights.get(worker.port);
    return [
      String(worker.pid),
      String(worker.slot),
      String(worker.port),
      worker.requests.toLocaleString('en-US'),
      percent(worker.requests, counted),
      weight === undefined ? '?' : String(weight),
      weight === undefined ? '?' : percent(weight, totalWeight),
    ];
  });
  const header = ['pid', 'slot', 'port', 'requests', 'share', 'weight', 'weight share'];
  const table = alignColumns([header, ...rows]);
  const { p50, p90, p99, max } = input.latency;
  return [
    `${counted.toLocaleString('en-US')} requests answered by ${input.workers.length} workers in ${input.durationSeconds} s` +
      ` (other answers: ${input.other}, errors: ${input.errors})`,
    '',
    ...table,
    '',
    `latency: p50 ${p50} ms · p90 ${p90} ms · p99 ${p99} ms · max ${max} ms`,
  ].join('\n');
}

function percent(part: number, whole: number): string {
  return whole === 0 ? '–' : `${((100 * part) / whole).toFixed(1)} %`;
}

/** The first column left-aligned, the figures right-aligned, two spaces apart. */
function alignColumns(lines: string[][]): string[] {
  const widths = lines[0]!.map((_, column) =>
    Math.max(...lines.map((line) => line[column]!.length)),
  );
  return lines.map((line) =>
    line
      .map((cell, column) =>
        column === 0 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!),
      )
      .join('  ')
      .trimEnd(),
  );
}
