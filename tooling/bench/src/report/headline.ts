import type { CountHeadline, Headline, RatioHeadline, Scenario } from '../scenario.js';
import { HeadlineNotFoundError } from '../errors.js';
import { formatTarget, targetMet } from './comparison-metric.js';
import { formatRatio } from './format.js';
import type { ScenarioResult } from './results.js';

/** Each scenario's headline, by scenario name. */
export type Headlines = Readonly<Record<string, Headline | undefined>>;

/** The headlines the registry's scenarios declare: what the report and the quotes show. */
export function headlinesOf(scenarios: readonly Scenario[]): Headlines {
  return Object.fromEntries(scenarios.map((s) => [s.name, s.headline]));
}

/** A headline ratio as measured: the median and the spread of the per-repeat ratios. */
export interface RatioFigure {
  kind: 'ratio';
  /** e.g. "koa-fleet / nginx, throughput on hello `GET /hello`". */
  label: string;
  /** The ratio of the medians: the figure targets are judged on. */
  median: number;
  min: number;
  max: number;
  repeatRatios: number[];
  /** `≥ 0.65 **not met**`, or `—`. */
  target: string;
  met: boolean | undefined;
}

/** A headline count as measured: totals over the repeats of the contender and its peer. */
export interface CountFigure {
  kind: 'counts';
  /** e.g. "failed requests during one reload (connection resets + timeouts), 64 conn.". */
  label: string;
  contender: string;
  against: string;
  total: number;
  perRepeat: number[];
  againstTotal: number;
  againstPerRepeat: number[];
  target: string;
  met: boolean | undefined;
}

export type HeadlineFigure = RatioFigure | CountFigure;

/** The headline's figure in `result` (of scenario `name`); throws when the result lacks it. */
export function headlineFigure(
  name: string,
  result: ScenarioResult,
  headline: Headline,
): HeadlineFigure {
  return headline.kind === 'ratio'
    ? ratioFigure(name, result, headline)
    : countFigure(name, result, headline);
}

function ratioFigure(name: string, result: ScenarioResult, h: RatioHeadline): RatioFigure {
  const metric = h.metric ?? 'throughput';
  const load = result.loads.find((l) => l.name === h.load);
  if (!load) throw new HeadlineNotFoundError(name, `load "${h.load}"`);
  // A comparison first (it carries the target); else the contender's ratio to the baseline.
  const comparison = load.comparisons?.find(
    (c) =>
      c.contender === h.contender &&
      c.against === h.against &&
      (c.metric ?? 'throughput') === metric,
  );
  const contender = load.contenders.find((c) => c.name === h.contender);
  const fromBaseline =
    metric === 'throughput' && h.against === result.baseline ? contender : undefined;
  const found = comparison ?? fromBaseline;
  if (!found) {
    throw new HeadlineNotFoundError(name, `the ${metric} of ${h.contender} / ${h.against}`);
  }
  const finite = found.repeatRatios.filter(Number.isFinite);
  const target = comparison?.target;
  return {
    kind: 'ratio',
    label: `${h.contender} / ${h.against}, ${metric} on ${load.name} \`GET ${load.path}\``,
    median: found.ratio,
    min: finite.length > 0 ? Math.min(...finite) : Number.NaN,
    max: finite.length > 0 ? Math.max(...finite) : Number.NaN,
    repeatRatios: found.repeatRatios,
    target: formatTarget(metric, found.ratio, target),
    met: target === undefined ? undefined : targetMet(metric, found.ratio, target),
  };
}

function countFigure(name: string, result: ScenarioResult, h: CountHeadline): CountFigure {
  const load = result.counts?.find((l) => l.name === h.load);
  if (!load) throw new HeadlineNotFoundError(name, `count load "${h.load}"`);
  const missing = h.counts.filter((count) => !load.counts.includes(count));
  if (missing.length > 0) throw new HeadlineNotFoundError(name, `count "${missing.join('", "')}"`);
  const sums = (contender: string): number[] => {
    const found = load.contenders.find((c) => c.name === contender);
    if (!found) throw new HeadlineNotFoundError(name, `contender "${contender}"`);
    return found.runs.map((run) => h.counts.reduce((sum, n) => sum + (run.counts[n] ?? 0), 0));
  };
  const [perRepeat, againstPerRepeat] = [sums(h.contender), sums(h.against)];
  const total = perRepeat.reduce((a, b) => a + b, 0);
  return {
    kind: 'counts',
    label: `${h.label} (${h.counts.join(' + ')}), ${load.connections} conn.`,
    contender: h.contender,
    against: h.against,
    total,
    perRepeat,
    againstTotal: againstPerRepeat.reduce((a, b) => a + b, 0),
    againstPerRepeat,
    target:
      h.target === undefined ? '—' : `≤ ${h.target} ${total <= h.target ? 'met' : '**not met**'}`,
    met: h.target === undefined ? undefined : total <= h.target,
  };
}

/** What a headline is of, e.g. `koa-fleet / nginx, throughput on hello \`GET /hello\``. */
export function figureLabel(figure: HeadlineFigure): string {
  return figure.kind === 'ratio'
    ? figure.label
    : `${figure.label}: ${figure.contender} vs ${figure.against}`;
}

/** `0.44 · **0.48** · 0.50` for a ratio; `**0** vs 255` (totals) for counts. */
export function figureValue(figure: HeadlineFigure): string {
  if (figure.kind === 'counts') return `**${figure.total}** vs ${figure.againstTotal}`;
  const [min, median, max] = [figure.min, figure.median, figure.max].map(formatRatio);
  return `${min} · **${median}** · ${max}`;
}

export function figurePerRepeat(figure: HeadlineFigure): string {
  if (figure.kind === 'ratio') return figure.repeatRatios.map(formatRatio).join(' · ');
  return `${figure.perRepeat.join(' · ')} vs ${figure.againstPerRepeat.join(' · ')}`;
}
