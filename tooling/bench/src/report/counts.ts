import type { CountMeasurement, Load, Scenario } from '../scenario.js';
import { median } from '../stats.js';

/** One run of a scenario's own `measure`, as the runner took it. */
export interface RawCount extends CountMeasurement {
  repeat: number;
  load: string;
  contender: string;
}

export interface CountContenderResult {
  name: string;
  /** Each count summed over all repeats; anything but 0 is a failure to look at. */
  totals: Record<string, number>;
  /** Each context figure's median over the repeats. */
  context: Record<string, number>;
  /** One entry per repeat, in repeat order. */
  runs: CountMeasurement[];
}

export interface CountLoadResult {
  name: string;
  path: string;
  connections: number;
  /** Count names in the order first measured: the columns of the report. */
  counts: string[];
  /** Context figure names, likewise. */
  context: string[];
  contenders: CountContenderResult[];
}

/** Totals and medians of what `measure` counted, per load (of `loads`) and contender. */
export function summarizeCounts(
  scenario: Scenario,
  loads: readonly Load[],
  counted: readonly RawCount[],
): CountLoadResult[] {
  return loads.map((load): CountLoadResult => {
    const ofLoad = counted.filter((c) => c.load === load.name);
    const countNames = namesIn(ofLoad.map((c) => c.counts));
    const contextNames = namesIn(ofLoad.map((c) => c.context ?? {}));
    const contenders = scenario.contenders.map((contender): CountContenderResult => {
      const runs = ofLoad
        .filter((c) => c.contender === contender.name)
        .sort((a, b) => a.repeat - b.repeat)
        .map(({ counts, context }): CountMeasurement =>
          context ? { counts, context } : { counts },
        );
      const totals = Object.fromEntries(
        countNames.map((n) => [n, runs.reduce((sum, r) => sum + (r.counts[n] ?? 0), 0)]),
      );
      const context: Record<string, number> = {};
      for (const n of contextNames) {
        const values = runs.flatMap((r) => (r.context?.[n] === undefined ? [] : [r.context[n]]));
        if (values.length > 0) context[n] = median(values);
      }
      return { name: contender.name, totals, context, runs };
    });
    return {
      name: load.name,
      path: load.path,
      connections: load.connections,
      counts: countNames,
      context: contextNames,
      contenders,
    };
  });
}

function namesIn(records: ReadonlyArray<Record<string, number>>): string[] {
  return [...new Set(records.flatMap((r) => Object.keys(r)))];
}
