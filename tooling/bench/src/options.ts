import { parseArgs } from 'node:util';
import { checkInteger, InvalidOptionError } from '@koa-fleet/errors';
import { UnknownScenarioError } from './errors.js';
import type { Scenario } from './scenario.js';

export interface BenchOptions {
  /** Scenario names; empty = all. */
  names: string[];
  repeats: number;
  /** Overrides each scenario's own duration/warm-up when given. */
  durationSec: number | undefined;
  warmupSec: number | undefined;
  list: boolean;
  /** Rewrite the report from results.json instead of measuring. */
  render: boolean;
  /** Where results.json, the report (README.md) and its charts go. */
  outDir: string | undefined;
}

export const USAGE =
  'usage: bench [scenario...] [--repeats N] [--duration S] [--warmup S] [--out DIR] [--list] [--render]';

/** Parses and checks the CLI arguments; a bad value throws an InvalidOptionError naming it. */
export function parseBenchArgs(argv: readonly string[]): BenchOptions {
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: {
      repeats: { type: 'string', short: 'r' },
      duration: { type: 'string', short: 'd' },
      warmup: { type: 'string', short: 'w' },
      out: { type: 'string', short: 'o' },
      list: { type: 'boolean', short: 'l', default: false },
      render: { type: 'boolean', default: false },
    },
  });
  const render = values.render ?? false;
  if (render && positionals.length > 0) {
    // The page shows every scenario, so a render of some would be the same render.
    throw new InvalidOptionError('render', 'given without scenario names', positionals.join(' '));
  }
  return {
    names: positionals,
    repeats: checkInteger('repeats', integerOrRaw(values.repeats ?? '3'), { min: 1, max: 50 }),
    durationSec: optionalSeconds('duration', values.duration, 1),
    warmupSec: optionalSeconds('warmup', values.warmup, 0),
    list: values.list ?? false,
    render,
    outDir: values.out,
  };
}

/** The scenarios named, in registry order; all of them when none is named. */
export function selectScenarios(
  names: readonly string[],
  registry: readonly Scenario[],
): Scenario[] {
  const known = registry.map((scenario) => scenario.name);
  for (const name of names) if (!known.includes(name)) throw new UnknownScenarioError(name, known);
  return names.length === 0 ? [...registry] : registry.filter((s) => names.includes(s.name));
}

function optionalSeconds(option: string, raw: string | undefined, min: number): number | undefined {
  if (raw === undefined) return undefined;
  return checkInteger(option, integerOrRaw(raw), { min, max: 600 });
}

// Hand the guard the number when the text is one, else the text, so its message shows the input.
function integerOrRaw(raw: string): number | string {
  return /^-?\d+$/.test(raw) ? Number(raw) : raw;
}
