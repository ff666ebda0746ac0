import { describe, expect, it } from 'vitest';
import { nodeServer } from '../src/contenders/node-server.js';
import { serverEntry } from '../src/contenders/server-entry.js';
import { pickLoadTool } from '../src/load/pick-load-tool.js';
import { runScenario } from '../src/run-scenario.js';
import type { Contender, RunningServer, Scenario } from '../src/scenario.js';

// Drives the whole harness once with 1-second loads: checks bookkeeping, never a figure.
describe('runScenario', () => {
  it('measures every contender once per repeat on a fresh server and stops each one', async () => {
    const started: string[] = [];
    const stopped: string[] = [];
    // How many servers had started when the fixture was reset: once before each server.
    const resets: number[] = [];
    let fixtureStops = 0;
    const tracked = (contender: Contender): Contender => ({
      ...contender,
      async start(context) {
        const server = await contender.start(context);
        started.push(`${contender.name}@${server.url}`);
        return {
          url: server.url,
          stop: async () => {
            await server.stop();
            stopped.push(`${contender.name}@${server.url}`);
          },
        };
      },
    });
    const single = nodeServer({ name: 'one', description: 't', entry: serverEntry('single.js') });
    const scenario: Scenario = {
      name: 'smoke',
      description: 'harness smoke test',
      baseline: 'one',
      contenders: [tracked(single), tracked({ ...single, name: 'two' })],
      loads: [{ name: 'hello', path: '/hello', connections: 2 }],
      durationSec: 1,
      warmupSec: 0,
      setup: async () => ({
        env: {},
        reset: async () => {
          resets.push(started.length);
        },
        stop: async () => {
          fixtureStops++;
        },
      }),
    };
    const running = new Set<RunningServer>();
    const run = await runScenario(scenario, {
      repeats: 2,
      durationSec: 1,
      warmupSec: 0,
      loadTool: pickLoadTool(),
      running,
    });

    expect(run.measurements.map((m) => `${m.repeat}:${m.contender}`)).toEqual([
      '0:one',
      '0:two',
      '1:two',
      '1:one',
    ]);
    for (const { measurement } of run.measurements) {
      expect(measurement.requests).toBeGreaterThan(0);
      expect(measurement.non2xx + measurement.socketErrors).toBe(0);
    }
    expect(new Set(started).size).toBe(4); // a fresh server (own port) per measurement
    expect(stopped.sort()).toEqual([...started].sort());
    expect(running.size).toBe(0);
    expect(resets).toEqual([0, 1, 2, 3]);
    expect(fixtureStops).toBe(1);
    expect(run).toMatchObject({ repeats: 2, durationSec: 1, loadTool: pickLoadTool().name });
  }, 120_000);
});
