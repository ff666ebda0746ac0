import { freePort } from '@koa-fleet/testkit';
import { NotLoopbackError } from './errors.js';
import type { LoadTool, Measurement } from './load/measurement.js';
import { runLoad } from './load/run-load.js';
import { describeMachine } from './machine.js';
import { planSteps, type Step } from './plan.js';
import type { RawCount } from './report/counts.js';
import type { RawMeasurement, ScenarioRun } from './report/results.js';
import type { CountMeasurement, RunningServer, Scenario } from './scenario.js';

export interface RunOptions {
  repeats: number;
  durationSec: number;
  warmupSec: number;
  loadTool: LoadTool;
  /** Servers currently up, so a Ctrl-C handler can stop them. */
  running: Set<RunningServer>;
  onMeasured?: (step: Step, measurement: Measurement) => void;
  /** For loads and scenarios with their own `measure`. */
  onCounted?: (step: Step, measurement: CountMeasurement) => void;
}

/**
 * Runs every step of a scenario: a fresh server per measurement (no state carried between
 * contenders or repeats), a warm-up load that is thrown away, then the measured load — or the
 * load's or scenario's own `measure` when it has one. The scenario's `setup` (e.g. a Redis every
 * contender uses) runs once around all of it, and its `reset` before every measurement.
 */
export async function runScenario(scenario: Scenario, options: RunOptions): Promise<ScenarioRun> {
  const { repeats, durationSec, warmupSec, loadTool, running } = options;
  const machine = describeMachine();
  const measurements: RawMeasurement[] = [];
  const counted: RawCount[] = [];
  const fixture = await scenario.setup?.();
  try {
    for (const step of planSteps(scenario, repeats)) {
      await fixture?.reset?.();
      const server = await step.contender.start({
        port: await freePort(),
        env: fixture?.env ?? {},
      });
      running.add(server);
      try {
        assertLoopback(server.url);
        const spec = { url: server.url + step.load.path, connections: step.load.connections };
        if (warmupSec > 0) await runLoad(loadTool, { ...spec, durationSec: warmupSec });
        const where = { repeat: step.repeat, load: step.load.name, contender: step.contender.name };
        const measure = step.load.measure ?? scenario.measure;
        if (measure) {
          const context = { load: step.load, durationSec, loadTool };
          const { throughput, ...result } = await measure(server, context);
          counted.push({ ...where, ...result });
          options.onCounted?.(step, result);
          if (throughput) {
            measurements.push({ ...where, measurement: throughput });
            options.onMeasured?.(step, throughput);
          }
        } else {
          const measurement = await runLoad(loadTool, { ...spec, durationSec });
          measurements.push({ ...where, measurement });
          options.onMeasured?.(step, measurement);
        }
      } finally {
        // Stays in `running` until really stopped, so a Ctrl-C meanwhile still waits for it.
        await server.stop().finally(() => running.delete(server));
      }
    }
  } finally {
    await fixture?.stop();
  }
  return {
    scenario,
    repeats,
    durationSec,
    warmupSec,
    loadTool: loadTool.name,
    machine,
    date: new Date().toISOString(),
    measurements,
    counted,
  };
}

// Load is only ever sent to this machine.
export function assertLoopback(url: string): void {
  if (new URL(url).hostname !== '127.0.0.1') {
    throw new NotLoopbackError(url);
  }
}
