import type { LoadSpec, Measurement } from '../src/load/measurement.js';
import type { Headlines } from '../src/report/headline.js';
import type { ScenarioRun } from '../src/report/results.js';
import type { Contender, Scenario } from '../src/scenario.js';

function contender(name: string): Contender {
  return {
    name,
    description: name,
    start: () => Promise.reject(new Error('fixtures never start servers')),
  };
}

export const scenario: Scenario = {
  name: 'demo',
  description: 'a & b <compared>',
  baseline: 'a',
  contenders: [contender('a'), contender('b'), contender('c')],
  loads: [
    { name: 'hello', path: '/hello', connections: 10 },
    { name: 'cpu', path: '/cpu', connections: 20 },
  ],
  durationSec: 5,
  warmupSec: 1,
};

export function measured(requestsPerSec: number, extra: Partial<Measurement> = {}): Measurement {
  return {
    requestsPerSec,
    p50Ms: 2,
    p90Ms: 6,
    p99Ms: 10,
    requests: requestsPerSec * 5,
    non2xx: 0,
    socketErrors: 0,
    ...extra,
  };
}

/** b is twice as fast as a on hello, c half as fast; on cpu all equal. Repeats in odd order. */
export function demoRun(): ScenarioRun {
  const rps: Record<string, Record<string, number[]>> = {
    hello: { a: [100, 110, 90], b: [200, 230, 170], c: [50, 40, 60] },
    cpu: { a: [10, 10, 10], b: [10, 10, 10], c: [10, 10, 10] },
  };
  const measurements = [2, 0, 1].flatMap((repeat) =>
    Object.entries(rps).flatMap(([load, byContender]) =>
      Object.entries(byContender).map(([name, values]) => ({
        repeat,
        load,
        contender: name,
        measurement: measured(
          values[repeat]!,
          name === 'c' && load === 'cpu' ? { non2xx: 3, socketErrors: 1 } : {},
        ),
      })),
    ),
  );
  return {
    scenario,
    repeats: 3,
    durationSec: 5,
    warmupSec: 1,
    loadTool: 'wrk',
    machine: {
      cpus: 2,
      cpuModel: 'Test CPU',
      totalMemoryMb: 4096,
      node: 'v20.20.0',
      platform: 'linux-x64',
      loadAverageBefore: 1.5,
    },
    date: '2026-11-25T12:00:00.000Z',
    measurements,
  };
}

/** A scenario measured by its own `measure` (never called here): counts instead of throughput. */
export const countScenario: Scenario = {
  ...scenario,
  name: 'counted',
  baseline: 'a',
  contenders: [contender('a'), contender('b')],
  loads: [{ name: 'mixed', path: '/hello', connections: 64 }],
  measure: () => Promise.reject(new Error('fixtures never measure')),
};

/** demoRun as recorded before the load tools' p50 and p90 were kept. */
export function demoRunWithoutP50P90(): ScenarioRun {
  const run = demoRun();
  const measurements = run.measurements.map(({ measurement, ...where }) => {
    const { p50Ms: _p50, p90Ms: _p90, ...older } = measurement;
    return { ...where, measurement: older };
  });
  return { ...run, measurements };
}

/** The headlines of the fixture scenarios, as a scenario declares one. */
export const demoHeadlines: Headlines = {
  demo: { kind: 'ratio', load: 'hello', contender: 'b', against: 'a' },
  counted: {
    kind: 'counts',
    load: 'mixed',
    contender: 'b',
    against: 'a',
    counts: ['resets', 'reload failed'],
    label: 'failures',
    target: 0,
  },
};

/** a fails 5 + 0 + 7 requests over 3 repeats, b none; repeats recorded out of order. */
export function countRun(): ScenarioRun {
  const counts: Record<string, number[]> = { a: [5, 0, 7], b: [0, 0, 0] };
  const requests: Record<string, number[]> = { a: [100, 300, 200], b: [400, 410, 390] };
  const counted = [1, 2, 0].flatMap((repeat) =>
    ['b', 'a'].map((name) => ({
      repeat,
      load: 'mixed',
      contender: name,
      counts: { resets: counts[name]![repeat]!, 'reload failed': 0 },
      context: { requests: requests[name]![repeat]! },
    })),
  );
  return { ...demoRun(), scenario: countScenario, measurements: [], counted };
}

/** Load specs every load tool's command is checked with: plain, and carrying a session's cookie. */
export const plainLoad: LoadSpec = { url: 'http://127.0.0.1:1/x', connections: 50, durationSec: 7 };
export const cookieLoad: LoadSpec = {
  url: 'http://127.0.0.1:1/incr',
  connections: 64,
  durationSec: 8,
  headers: { Cookie: 'koa.sess=abc; koa.sess.sig=x-Y_z', 'X-Bench': '1' },
};

/** demoRun's a and b as the registry's `health` scenario names them (koa, koa+health). */
export function healthRun(): ScenarioRun {
  const names: Record<string, string> = { a: 'koa', b: 'koa+health' };
  const run = demoRun();
  return {
    ...run,
    scenario: {
      ...scenario,
      name: 'health',
      baseline: 'koa',
      contenders: [contender('koa'), contender('koa+health')],
      loads: [scenario.loads[0]!],
    },
    measurements: run.measurements.flatMap((m) =>
      m.load === 'hello' && names[m.contender] ? [{ ...m, contender: names[m.contender]! }] : [],
    ),
  };
}
