import type { WorkerProcess } from './worker-process.js';

export interface WatchdogTimes {
  /** How often to look (the workers' heartbeat interval). */
  interval: number;
  /** Silence after which a ready worker counts as hung. */
  timeout: number;
}

/**
 * Calls `onSilent` for every ready worker whose last heartbeat is older than `timeout`. When the
 * primary itself was stalled (its own tick came late), silence proves nothing about the workers,
 * so their clocks restart instead. Returns the (unref'd) timer.
 */
export function watchHeartbeats(
  workers: () => Iterable<WorkerProcess>,
  times: WatchdogTimes,
  onSilent: (worker: WorkerProcess, silentMs: number) => void,
): NodeJS.Timeout {
  let lastTick = Date.now();
  const timer = setInterval(() => {
    const now = Date.now();
    const primaryWasLate = now - lastTick > times.interval + times.timeout / 2;
    lastTick = now;
    for (const worker of workers()) {
      if (primaryWasLate) worker.lastHeartbeat = now;
      const silent = now - worker.lastHeartbeat;
      if (worker.state === 'ready' && !worker.killed && silent > times.timeout)
        onSilent(worker, silent);
    }
  }, times.interval);
  timer.unref();
  return timer;
}
