import { setTimeout as delay } from 'node:timers/promises';
import { ServerStopError } from '../errors.js';

/**
 * Resolves once no process of group `pgid` is left. A killed server's workers die a moment
 * after its primary does; the next measurement must not share the CPU with them.
 */
export async function waitForGroupExit(pgid: number, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (groupExists(pgid)) {
    if (Date.now() > deadline)
      throw new ServerStopError(`process group ${pgid} still alive after stop`);
    await delay(50); // no event tells us about grandchildren exiting, so look again shortly
  }
}

function groupExists(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
