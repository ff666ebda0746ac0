import type { WorkerStats } from '../../stats.js';
import { CrashWindow } from './crash-window.js';
import type { WorkerProcess } from './worker-process.js';

/**
 * A worker position in the fleet: a stable id (and port, in per-worker mode) whose process is
 * replaced on crash, reload or memory limit.
 */
export class Slot {
  readonly id: number;
  readonly port: number;
  current: WorkerProcess | undefined;
  /** Restarts after crashes, hangs and memory replacements (reloads do not count). */
  restarts = 0;
  crashes: CrashWindow;
  /** Memory replacements, counted like crashes: `maxCrashes` in the window stop them. */
  readonly memoryReplacements: CrashWindow;
  /** The memory loop was reported; reset once a replacement is allowed again. */
  memoryLoopReported = false;
  /** Why the fleet stopped restarting this slot. */
  givenUp: Error | undefined;
  restartTimer: NodeJS.Timeout | undefined;
  /** A replacement is on its way: a crash of the current worker must not start another. */
  replacing = false;
  /** The last worker's stats, shown while the slot has no live worker. */
  lastStats: WorkerStats | undefined;
  /** Serializes replacements of this slot (reload, memory limit). */
  operation: Promise<void> = Promise.resolve();

  constructor(id: number, port: number, crashWindowMs: number) {
    this.id = id;
    this.port = port;
    this.crashes = new CrashWindow(crashWindowMs);
    this.memoryReplacements = new CrashWindow(crashWindowMs);
  }

  cancelRestart(): void {
    clearTimeout(this.restartTimer);
    this.restartTimer = undefined;
  }
}
