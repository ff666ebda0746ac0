import type { Measurement } from '../load/measurement.js';
import type { MachineInfo } from '../machine.js';
import type { ComparisonMetric, Load, Scenario } from '../scenario.js';
import { median, ratio } from '../stats.js';
import { metricValue } from './comparison-metric.js';
import { summarizeCounts, type CountLoadResult, type RawCount } from './counts.js';

/** One measurement as the runner took it. */
export interface RawMeasurement {
  repeat: number;
  load: string;
  contender: string;
  measurement: Measurement;
}

/** Everything one run of one scenario produced, before summarising. */
export interface ScenarioRun {
  scenario: Scenario;
  repeats: number;
  durationSec: number;
  warmupSec: number;
  loadTool: string;
  machine: MachineInfo;
  date: string;
  measurements: RawMeasurement[];
  /** What a scenario's own `measure` returned, for scenarios that have one. */
  counted?: RawCount[];
}

export interface ContenderResult {
  name: string;
  /** One entry per repeat, in repeat order. */
  runs: Measurement[];
  medianRps: number;
  /** Median over the runs; absent when a run recorded none (results from before p50/p90). */
  medianP50Ms?: number;
  medianP90Ms?: number;
  medianP99Ms: number;
  /** Non-2xx responses plus socket errors over all runs; anything but 0 taints the figure. */
  errors: number;
  /** Median throughput over the baseline's median throughput. */
  ratio: number;
  /** Throughput ratio within each repeat, to show how noisy the median is. */
  repeatRatios: number[];
}

/** A ratio between two contenders other than the baseline ratio (Scenario.comparisons). */
export interface ComparisonResult {
  contender: string;
  against: string;
  /** As the scenario gave it; absent means throughput (as in results written before p99). */
  metric?: ComparisonMetric;
  /** Median over median of the metric. */
  ratio: number;
  /** Within each repeat. */
  repeatRatios: number[];
  target?: number;
}

export interface LoadResult {
  name: string;
  path: string;
  connections: number;
  contenders: ContenderResult[];
  /** Present when the scenario asks for comparisons. */
  comparisons?: ComparisonResult[];
}

export interface ScenarioResult {
  description: string;
  date: string;
  machine: MachineInfo;
  loadTool: string;
  repeats: number;
  durationSec: number;
  warmupSec: number;
  baseline: string;
  /** Throughput per load; loads measured by a `measure` only when it took throughput. */
  loads: LoadResult[];
  /** Per load with its own (or the scenario's) `measure`, what it counted; else absent. */
  counts?: CountLoadResult[];
}

/** The shape of docs/benchmarks/results.json. */
export interface ResultsFile {
  note: string;
  updatedAt: string;
  scenarios: Record<string, ScenarioResult>;
}

export const RESULTS_NOTE =
  'Ratios, not absolute times: measured on a small shared machine (see machine), which is noisy.';

/** Medians and ratios of one scenario run. */
export function summarize(run: ScenarioRun): ScenarioResult {
  const { scenario } = run;
  const common = {
    description: scenario.description,
    date: run.date,
    machine: run.machine,
    loadTool: run.loadTool,
    repeats: run.repeats,
    durationSec: run.durationSec,
    warmupSec: run.warmupSec,
    baseline: scenario.baseline,
  };
  // A load measured by its own `measure` has counts, and throughput only if the measure took it.
  const measured = (load: Load) => Boolean(load.measure ?? scenario.measure);
  const counts = summarizeCounts(scenario, scenario.loads.filter(measured), run.counted ?? []);
  const withThroughput = scenario.loads.filter(
    (load) => !measured(load) || run.measurements.some((m) => m.load === load.name),
  );
  const loads = withThroughput.map((load): LoadResult => {
    const runsOf = (contender: string): Measurement[] =>
      run.measurements
        .filter((m) => m.load === load.name && m.contender === contender)
        .sort((a, b) => a.repeat - b.repeat)
        .map((m) => m.measurement);
    const baselineRuns = runsOf(scenario.baseline);
    const baselineRps = median(baselineRuns.map((m) => m.requestsPerSec));
    const contenders = scenario.contenders.map((contender): ContenderResult => {
      const runs = runsOf(contender.name);
      const medianRps = median(runs.map((m) => m.requestsPerSec));
      const p50 = medianOfAll(runs.map((m) => m.p50Ms));
      const p90 = medianOfAll(runs.map((m) => m.p90Ms));
      return {
        name: contender.name,
        runs,
        medianRps: Math.round(medianRps),
        ...(p50 !== undefined && { medianP50Ms: p50 }),
        ...(p90 !== undefined && { medianP90Ms: p90 }),
        medianP99Ms: median(runs.map((m) => m.p99Ms)),
        errors: runs.reduce((sum, m) => sum + m.non2xx + m.socketErrors, 0),
        ratio: ratio(medianRps, baselineRps),
        repeatRatios: runs.map((m, i) =>
          ratio(m.requestsPerSec, baselineRuns[i]?.requestsPerSec ?? 0),
        ),
      };
    });
    const result: LoadResult = {
      name: load.name,
      path: load.path,
      connections: load.connections,
      contenders,
    };
    if (scenario.comparisons) {
      result.comparisons = scenario.comparisons.map(({ contender, against, metric, target }) => {
        const [mine, theirs] = [runsOf(contender), runsOf(against)];
        const value = (m: Measurement) => metricValue(metric ?? 'throughput', m);
        const medianOf = (runs: Measurement[]) => median(runs.map(value));
        return {
          contender,
          against,
          ...(metric !== undefined && { metric }),
          ratio: ratio(medianOf(mine), medianOf(theirs)),
          repeatRatios: mine.map((m, i) => ratio(value(m), theirs[i] ? value(theirs[i]) : 0)),
          ...(target !== undefined && { target }),
        };
      });
    }
    return result;
  });
  return counts.length > 0 ? { ...common, loads, counts } : { ...common, loads };
}

// The median only when every run has the figure: a median of some runs would mislead.
function medianOfAll(values: ReadonlyArray<number | undefined>): number | undefined {
  const present = values.filter((v): v is number => v !== undefined);
  return present.length > 0 && present.length === values.length ? median(present) : undefined;
}

/** Adds or replaces the given scenarios, keeping the others so one scenario's run erases none. */
export function mergeResults(
  previous: ResultsFile | undefined,
  fresh: Record<string, ScenarioResult>,
  updatedAt: string,
): ResultsFile {
  const scenarios = { ...previous?.scenarios, ...fresh };
  const sorted = Object.fromEntries(
    Object.entries(scenarios).sort(([a], [b]) => a.localeCompare(b)),
  );
  return { note: RESULTS_NOTE, updatedAt, scenarios: sorted };
}
