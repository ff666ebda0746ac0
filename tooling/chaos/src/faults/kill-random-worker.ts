import type { ChaosFleet } from '../system/start-fleet.js';
import { readyWorkers } from '../system/fleet-workers.js';

export interface KilledWorker {
  slot: number;
  pid: number;
}

/**
 * `kill -9` of one of the fleet's ready workers in an `eligible` slot, chosen by `random`
 * (seeded, so a run can be replayed); undefined when no such worker is ready.
 */
export async function killRandomWorker(
  fleet: Pick<ChaosFleet, 'pidFile'>,
  random: () => number,
  eligible: (slot: number) => boolean = () => true,
): Promise<KilledWorker | undefined> {
  const workers = (await readyWorkers(fleet)).filter((worker) => eligible(worker.slot));
  if (workers.length === 0) return undefined;
  const { slot, pid } = workers[Math.floor(random() * workers.length)]!;
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    return undefined; // it exited since the stats were read
  }
  return { slot, pid };
}
