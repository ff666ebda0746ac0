import { describe, expect, it } from 'vitest';
import type { LoadTool } from '../src/load/measurement.js';
import { renderMarkdown } from '../src/report/markdown.js';
import type { RawCount } from '../src/report/counts.js';
import { summarize, type ScenarioRun } from '../src/report/results.js';
import { runScenario } from '../src/run-scenario.js';
import type { Contender, Measure, RunningServer, Scenario } from '../src/scenario.js';
import { demoRun, measured } from './fixtures.js';

const never: Measure = () => Promise.reject(new Error('never measured here'));

/** A throughput load, a load whose measure also takes throughput, and a counts-only load. */
const mixed: Scenario = {
  ...demoRun().scenario,
  name: 'mixed',
  contenders: demoRun().scenario.contenders.slice(0, 2),
  loads: [
    { name: 'new', path: '/new', connections: 50 },
    { name: 'incr', path: '/incr', connections: 64, measure: never },
    { name: 'fields', path: '/field', connections: 64, measure: never },
  ],
  comparisons: [{ contender: 'b', against: 'a', target: 1.3 }],
};

function mixedRun(): ScenarioRun {
  const rps: Record<string, Record<string, number>> = {
    new: { a: 100, b: 150 },
    incr: { a: 200, b: 100 },
  };
  const measurements = Object.entries(rps).flatMap(([load, byContender]) =>
    Object.entries(byContender).map(([contender, value]) => ({
      repeat: 0,
      load,
      contender,
      measurement: measured(value),
    })),
  );
  const lost: Record<string, number> = { a: 1900, b: 0 };
  const counted = ['a', 'b'].flatMap((contender): RawCount[] => [
    { repeat: 0, load: 'incr', contender, counts: { 'lost updates': lost[contender]! } },
    { repeat: 0, load: 'fields', contender, counts: { 'fields lost': contender === 'a' ? 63 : 0 } },
  ]);
  return { ...demoRun(), scenario: mixed, repeats: 1, measurements, counted };
}

describe('summarize with per-load measures', () => {
  const result = summarize(mixedRun());

  it('puts the tool-measured load and a measure that took throughput in the ratio table', () => {
    expect(result.loads.map((l) => l.name)).toEqual(['new', 'incr']);
    const ratios = result.loads.map((l) => l.contenders.map((c) => c.ratio));
    expect(ratios).toEqual([
      [1, 1.5],
      [1, 0.5],
    ]);
    expect(result.loads.map((l) => l.comparisons?.[0]?.ratio)).toEqual([1.5, 0.5]);
  });

  it('reports the counts of every load with a measure, and only those', () => {
    expect(result.counts?.map((l) => l.name)).toEqual(['incr', 'fields']);
    expect(result.counts?.[0]?.contenders.map((c) => c.totals)).toEqual([
      { 'lost updates': 1900 },
      { 'lost updates': 0 },
    ]);
  });

  it('renders both tables for the scenario', () => {
    const markdown = renderMarkdown({ note: 'n', updatedAt: 'u', scenarios: { mixed: result } });
    expect(markdown).toContain(
      '| incr `GET /incr`, 64 conn. | b | 0.50 | **0.50** | 0.50 | 0.50 |',
    );
    expect(markdown).toContain(
      '| incr `GET /incr` | b / a | 0.50 | **0.50** | 0.50 | 0.50 | ≥ 1.30 **not met** |',
    );
    expect(markdown).toContain('| fields `/field`, 64 conn. | a (baseline) | **63** (63) |');
  });

  it('leaves a scenario without measures without counts', () => {
    expect(summarize(demoRun())).not.toHaveProperty('counts');
  });
});

describe('runScenario with a setup and per-load measures', () => {
  // No real server and no warm-up, so the load tool is never run.
  const noTool: LoadTool = {
    name: 'none',
    command: () => {
      throw new Error('the load tool is not used here');
    },
    parse: () => measured(0),
  };
  const fake = (name: string, envs: Array<Record<string, string> | undefined>): Contender => ({
    name,
    description: name,
    start: ({ env }) => {
      envs.push(env);
      return Promise.resolve({ url: 'http://127.0.0.1:1', stop: () => Promise.resolve() });
    },
  });
  const options = (running = new Set<RunningServer>()) => ({
    repeats: 2,
    durationSec: 1,
    warmupSec: 0,
    loadTool: noTool,
    running,
  });

  it("passes the setup's env to every start, the load tool to every measure, records both results", async () => {
    const events: string[] = [];
    const envs: Array<Record<string, string> | undefined> = [];
    const scenario: Scenario = {
      ...mixed,
      contenders: [fake('a', envs), fake('b', envs)],
      loads: [
        {
          name: 'incr',
          path: '/incr',
          connections: 4,
          measure: async (_server, { load, loadTool }) => {
            events.push(`measure ${load.name} by ${loadTool.name}`);
            return { counts: { lost: 0 }, throughput: measured(10) };
          },
        },
      ],
      setup: async () => {
        events.push('setup');
        return {
          env: { REDIS_URL: 'redis://127.0.0.1:1' },
          stop: async () => void events.push('stop'),
        };
      },
    };
    const run = await runScenario(scenario, options());
    expect(events).toEqual(['setup', ...Array(4).fill('measure incr by none'), 'stop']);
    expect(envs).toEqual(Array(4).fill({ REDIS_URL: 'redis://127.0.0.1:1' }));
    expect(run.measurements).toHaveLength(4);
    expect(run.counted).toHaveLength(4);
    expect(run.counted?.[0]).not.toHaveProperty('throughput');
  });

  it('stops the setup when a measure fails', async () => {
    let stopped = false;
    const scenario: Scenario = {
      ...mixed,
      contenders: [fake('a', [])],
      loads: [
        { name: 'x', path: '/', connections: 1, measure: () => Promise.reject(new Error('boom')) },
      ],
      setup: async () => ({ env: {}, stop: async () => void (stopped = true) }),
    };
    await expect(runScenario(scenario, options())).rejects.toThrowError('boom');
    expect(stopped).toBe(true);
  });
});
