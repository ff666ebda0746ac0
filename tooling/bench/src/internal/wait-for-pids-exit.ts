import { readFileSync } from 'node:fs';
import { setTimeout as delay } from 'node:timers/promises';
import { ServerStopError } from '../errors.js';

/**
 * Resolves once none of `pids` runs any more. For processes that are not our children (PM2's
 * daemon and workers): they cannot be waited for, and once orphaned they may linger as zombies
 * where PID 1 does not reap them — a zombie uses no CPU, so it counts as gone.
 */
export async function waitForPidsExit(pids: readonly number[], timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const running = pids.filter(isRunning);
    if (running.length === 0) return;
    if (Date.now() > deadline) {
      throw new ServerStopError(`processes ${running.join(', ')} still running after stop`);
    }
    await delay(50); // nothing notifies us about a non-child's exit, so look again shortly
  }
}

export function isRunning(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}
