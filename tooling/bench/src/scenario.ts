import type { LoadTool, Measurement } from './load/measurement.js';

/** A server under test, started and answering on `url` (e.g. `http://127.0.0.1:40123`). */
export interface RunningServer {
  url: string;
  stop(): Promise<void>;
  /**
   * Rolling reload in place, for contenders that have one; resolves once it finished, rejects
   * when it failed. Scenarios that need it say so in their `measure`.
   */
  reload?(): Promise<void>;
}

export interface StartContext {
  /** A free port on 127.0.0.1 for the server to listen on. */
  port: number;
  /** Environment from the scenario's `setup` (e.g. `REDIS_URL`), for the server's process. */
  env?: Record<string, string>;
}

/** One of the things a scenario compares, e.g. a single Koa process or raw node:cluster. */
export interface Contender {
  name: string;
  description: string;
  /** Resolves once the server answers on every process it runs; must not leak a process. */
  start(context: StartContext): Promise<RunningServer>;
}

/** What a contender helper with nothing else to configure takes: how the reports name it. */
export type ContenderLabel = Pick<Contender, 'name' | 'description'>;

/** One kind of traffic a scenario sends to every contender. */
export interface Load {
  name: string;
  /** Path requested on the contender's url, e.g. `/hello`. */
  path: string;
  connections: number;
  /**
   * This load's own measurement, instead of the scenario's `measure` or the load tool: its
   * counts go to the count table, and its `throughput`, when it returns one, to the ratios.
   */
  measure?: Measure;
}

/** What a scenario's own `measure` found in one run against one server. */
export interface CountMeasurement {
  /** Things that should not happen, e.g. failed requests; lower is better, summed over repeats. */
  counts: Record<string, number>;
  /** Figures shown for context only, e.g. requests sent; the report prints their median. */
  context?: Record<string, number>;
  /**
   * Throughput the measure took itself (e.g. a timed load carrying a session cookie): reported in
   * the throughput table and its ratios, like a load tool's run.
   */
  throughput?: Measurement;
}

export interface MeasureContext {
  load: Load;
  durationSec: number;
  /** The run's load tool (wrk, or autocannon without wrk on PATH), for timed loads of its own. */
  loadTool: LoadTool;
}

export type Measure = (server: RunningServer, context: MeasureContext) => Promise<CountMeasurement>;

/** Something every contender of a scenario uses, started once per scenario run (e.g. Redis). */
export interface ScenarioFixture {
  /** Passed to every contender's `start` as `env`. */
  env: Record<string, string>;
  /**
   * Called before each measurement's server starts, so no run inherits what earlier runs left
   * behind (e.g. a million session keys that make Redis rehash during the next contender's run).
   */
  reset?(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * What a comparison divides: median throughput (higher is better, so a target is a floor) or
 * median p99 latency (lower is better, so a target is a ceiling).
 */
export type ComparisonMetric = 'throughput' | 'p99';

/** `contender`'s median over `against`'s, per load: throughput unless `metric` says otherwise. */
export interface Comparison {
  contender: string;
  against: string;
  /** Default 'throughput'. */
  metric?: ComparisonMetric;
  /** The ratio to reach: at least this for throughput, at most this for p99. */
  target?: number;
}

/**
 * The one figure of a scenario the report's headline and the READMEs' quotes show: a ratio
 * (a comparison of the scenario, or a contender's ratio to the baseline) …
 */
export interface RatioHeadline {
  kind: 'ratio';
  load: string;
  contender: string;
  against: string;
  /** Default 'throughput'. */
  metric?: ComparisonMetric;
}

/** … or, for a scenario that counts failures, the totals of some counts of two contenders. */
export interface CountHeadline {
  kind: 'counts';
  load: string;
  contender: string;
  against: string;
  /** Summed, e.g. every kind of failed request. */
  counts: string[];
  /** What the sum is, e.g. `failed requests during one reload`. */
  label: string;
  /** The most `contender` may total, e.g. 0. */
  target?: number;
}

export type Headline = RatioHeadline | CountHeadline;

/** A named comparison: which servers, which load, how long. */
export interface Scenario {
  name: string;
  description: string;
  /** Name of the contender every ratio is taken against (listed first in count tables). */
  baseline: string;
  contenders: Contender[];
  loads: Load[];
  durationSec: number;
  warmupSec: number;
  /**
   * Ratios to report besides each contender's ratio to the baseline, e.g. koa-fleet against
   * PM2 when the baseline is raw node:cluster, or koa-fleet's p99 over nginx's; `target` is the
   * ratio it should reach.
   */
  comparisons?: Comparison[];
  /** The figure that matters, for the report's headline and the READMEs that quote it. */
  headline?: Headline;
  /**
   * Replaces the throughput measurement: called once per repeat, load and contender on a fresh,
   * warmed-up server, and reported as counts instead of throughput ratios.
   */
  measure?: Measure;
  /** Started before the first contender, stopped after the last (also when a run fails). */
  setup?(): Promise<ScenarioFixture>;
}
