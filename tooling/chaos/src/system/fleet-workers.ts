import { connectFleetControl, type FleetStats } from '@koa-fleet/cluster';
import type { ChaosFleet } from './start-fleet.js';

/** The fleet's stats over its control socket (`<pid file>.sock`): workers, pids, generations. */
export async function fleetStats(fleet: Pick<ChaosFleet, 'pidFile'>): Promise<FleetStats> {
  return (await connectFleetControl({ pidFile: fleet.pidFile })).stats();
}

/** The pid of each slot's ready worker, slot 0 first (a slot restarting is left out). */
export async function readyWorkers(
  fleet: Pick<ChaosFleet, 'pidFile'>,
): Promise<{ slot: number; pid: number; generation: number }[]> {
  const { workers } = await fleetStats(fleet);
  return workers
    .filter((worker) => worker.state === 'ready')
    .map((worker) => ({ slot: worker.workerId, pid: worker.pid, generation: worker.generation }))
    .sort((a, b) => a.slot - b.slot);
}
