import type { ChaosFleet } from '../system/start-fleet.js';
import { readyWorkers } from '../system/fleet-workers.js';

export interface KilledWorker {
  slot: number;
  pid: number;
}

/**
 * `kill -9` of one of the fleet's ready workers, chosen by `random` (seeded, so a run can be
 * replayed); undefined when no worker is ready to be killed.
 */
export async function killRandomWorker(
  fleet: Pick<ChaosFleet, 'pidFile'>,
  random: () => number,
): Promise<KilledWorker | undefined> {
  const workers = await readyWorkers(fleet);
  if (workers.length === 0) return undefined;
  const { slot, pid } = workers[Math.floor(random() * workers.length)]!;
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    return undefined; // it exited since the stats were read
  }
  return { slot, pid };
}
