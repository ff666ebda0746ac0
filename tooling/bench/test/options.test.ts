import { InvalidOptionError } from '@koa-fleet/errors';
import { describe, expect, it } from 'vitest';
import { UnknownScenarioError } from '../src/errors.js';
import { parseBenchArgs, selectScenarios } from '../src/options.js';
import { scenarios } from '../src/scenarios/index.js';
import { scenario } from './fixtures.js';

describe('bench CLI options', () => {
  it("defaults to all scenarios, 3 repeats and each scenario's own durations", () => {
    expect(parseBenchArgs([])).toEqual({
      names: [],
      repeats: 3,
      durationSec: undefined,
      warmupSec: undefined,
      list: false,
      render: false,
      outDir: undefined,
    });
  });

  it('reads scenario names and overrides', () => {
    expect(
      parseBenchArgs([
        'demo',
        '--repeats',
        '5',
        '--duration',
        '7',
        '--warmup',
        '0',
        '-o',
        '/tmp/x',
      ]),
    ).toMatchObject({
      names: ['demo'],
      repeats: 5,
      durationSec: 7,
      warmupSec: 0,
      outDir: '/tmp/x',
    });
  });

  it('rejects a bad number with an InvalidOptionError naming the option', () => {
    expect(() => parseBenchArgs(['--repeats', '0'])).toThrowError(InvalidOptionError);
    expect(() => parseBenchArgs(['--repeats', 'three'])).toThrowError(
      'option "repeats" must be an integer from 1 to 50, got "three"',
    );
    expect(() => parseBenchArgs(['--duration', '0'])).toThrowError(/option "duration"/);
  });

  it('reads --render, which rewrites the whole report and so takes no scenario names', () => {
    expect(parseBenchArgs(['--render', '-o', '/tmp/x'])).toMatchObject({
      render: true,
      names: [],
      outDir: '/tmp/x',
    });
    expect(() => parseBenchArgs(['balancer', '--render'])).toThrowError(
      'option "render" must be given without scenario names, got "balancer"',
    );
  });

  it('selects named scenarios and refuses an unknown one, listing the known', () => {
    expect(selectScenarios([], [scenario])).toEqual([scenario]);
    expect(selectScenarios(['demo'], [scenario])).toEqual([scenario]);
    expect(() => selectScenarios(['nope'], [scenario])).toThrowError(UnknownScenarioError);
    expect(() => selectScenarios(['nope'], [scenario])).toThrowError(
      'no scenario "nope"; known: demo',
    );
  });

  it('registers cluster (baseline node-cluster) and reload (counts, not throughput)', () => {
    const cluster = scenarios.find((s) => s.name === 'cluster');
    expect(cluster?.contenders.map((c) => c.name)).toEqual([
      'node-cluster',
      'single',
      'pm2',
      'koa-fleet',
    ]);
    expect(cluster?.baseline).toBe('node-cluster');
    expect(cluster?.comparisons).toEqual([
      { contender: 'koa-fleet', against: 'node-cluster', target: 0.97 },
      { contender: 'koa-fleet', against: 'pm2', target: 1 },
    ]);
    const reload = scenarios.find((s) => s.name === 'reload');
    expect(reload?.contenders.map((c) => c.name)).toEqual(['pm2', 'koa-fleet']);
    expect(reload?.measure).toBeTypeOf('function');
  });

  it('names only its own contenders as baseline and in comparisons, in every scenario', () => {
    for (const s of scenarios) {
      const names = s.contenders.map((c) => c.name);
      const named = [s.baseline, ...(s.comparisons ?? []).flatMap((c) => [c.contender, c.against])];
      expect(names, s.name).toEqual(expect.arrayContaining(named));
      expect(new Set(names).size, s.name).toBe(names.length);
    }
  });

  it('registers cluster-baseline with single as its baseline contender', () => {
    const baseline = scenarios.find((s) => s.name === 'cluster-baseline');
    expect(baseline?.contenders.map((c) => c.name)).toEqual(['single', 'node-cluster']);
    expect(baseline?.baseline).toBe('single');
  });
});
