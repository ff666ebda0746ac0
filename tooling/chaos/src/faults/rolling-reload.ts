import type { ChaosFleet } from '../system/start-fleet.js';
import { fleetStats } from '../system/fleet-workers.js';

/**
 * SIGHUP to the fleet's primary (only: the process group would signal the workers too), then
 * waits until it logs that the new generation serves on every slot. Resolves with that generation.
 */
export async function rollingReload(
  fleet: Pick<ChaosFleet, 'process' | 'pidFile'>,
  { timeout = 60_000 }: { timeout?: number } = {},
): Promise<number> {
  const before = Math.max(...(await fleetStats(fleet)).workers.map((worker) => worker.generation));
  const generation = before + 1;
  process.kill(fleet.process.pid, 'SIGHUP');
  await fleet.process.waitForLine(`reload: generation ${generation} serving on every slot`, {
    timeout,
  });
  return generation;
}
