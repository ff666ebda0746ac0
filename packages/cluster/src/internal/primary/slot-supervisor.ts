import type { FleetError } from '@koa-fleet/errors';
import type { Logger } from 'pino';
import { CrashLoopError, MemoryLoopError, PortInUseError, WorkerStartError } from '../../errors.js';
import type { ResolvedFleetOptions } from '../../options.js';
import type { WorkerStats } from '@koa-fleet/contracts';
import type { FatalPayload } from '../wire/control-messages.js';
import { restartDelay } from './backoff.js';
import { CrashWindow } from './crash-window.js';
import type { WorkerExit, WorkerState } from './worker-process.js';

/** What the supervisor needs of a worker process: WorkerProcess has it, a test fakes it. */
export interface SupervisedWorker {
  readonly pid: number;
  readonly generation: number;
  readonly state: WorkerState;
  /** Resolves once listening; rejects if it exits or times out first. */
  readonly ready: Promise<void>;
  readonly exited: Promise<WorkerExit>;
  drain(): Promise<WorkerExit>;
  kill(signal: NodeJS.Signals, reason: string, expected?: boolean): void;
  stats(restarts: number): WorkerStats;
}

/** The options that decide what becomes of a slot. */
export type SupervisionPolicy = Pick<
  ResolvedFleetOptions,
  | 'host'
  | 'perWorkerPorts'
  | 'maxMemory'
  | 'maxCrashes'
  | 'crashWindow'
  | 'restartDelay'
  | 'maxRestartDelay'
>;

export interface SlotSupervisorOptions<W extends SupervisedWorker> {
  id: number;
  port: number;
  policy: SupervisionPolicy;
  logger: Logger;
  /** Forks a worker of this slot serving `generation`; the fleet wires its events and its exit. */
  spawn(generation: number): W;
  /** The generation the fleet serves now: a restart starts that one. */
  generation(): number;
  /** A replacement became the slot's worker; `old`, if there was one, drains next. */
  onSwap(old: W | undefined): void;
  /** `old` is about to be told to drain; it is once this resolves (the control socket's acks). */
  beforeDrain?(old: W): Promise<void> | undefined;
}

/**
 * What an exit of one of the slot's workers leads to:
 * - `ignore`: not the slot's worker (an old one, a failed replacement), or one that was asked to
 *   go, or the fleet is stopping;
 * - `restart`: a crash; a new worker starts after `delay` ms (`attempt` crashes in the window);
 * - `await-replacement`: a crash while a replacement is on its way, which takes the slot over;
 * - `give-up`: restarting cannot help this slot (a crash loop, a taken per-worker port);
 * - `fail-fleet`: every slot would fail alike (the entry cannot load, the shared port is taken).
 */
export type ExitDecision =
  | { action: 'ignore' }
  | { action: 'restart'; attempt: number; delay: number }
  | { action: 'await-replacement' }
  | { action: 'give-up'; error: FleetError }
  | { action: 'fail-fleet'; error: FleetError; userStack: string | undefined };

/**
 * What a heartbeat over `maxMemory` leads to: `keep` (within the limit, or not the slot's worker,
 * or a replacement is already on its way), `replace` (a graceful replacement started), or `hold`
 * (fresh workers are over the limit again and again, so the slot keeps this one for now).
 */
export type MemoryDecision = 'keep' | 'replace' | 'hold';

const IGNORE: ExitDecision = { action: 'ignore' };

/**
 * One worker position of the fleet: a stable id (and port, with per-worker ports) whose process
 * is restarted after a crash and replaced on reload or over the memory limit. It owns the slot's
 * state and decides what an exit means; the fleet reports the decisions.
 */
export class SlotSupervisor<W extends SupervisedWorker = SupervisedWorker> {
  readonly id: number;
  readonly port: number;
  readonly #options: SlotSupervisorOptions<W>;
  #current: W | undefined;
  /** Restarts after crashes, hangs, memory replacements and restart() (reloads do not count). */
  #restarts = 0;
  #crashes: CrashWindow;
  /** Memory replacements, counted like crashes: `maxCrashes` in the window stop them. */
  readonly #memoryReplacements: CrashWindow;
  /** The memory loop was reported; reset once a replacement is allowed again. */
  #memoryLoopReported = false;
  #givenUp: FleetError | undefined;
  #restartTimer: NodeJS.Timeout | undefined;
  /** A replacement is on its way: a crash of the current worker must not start another. */
  #replacing = false;
  /** The last worker's stats, shown while the slot has no live worker. */
  #lastStats: WorkerStats | undefined;
  /** Serializes replacements of this slot (reload, memory limit). */
  #operation: Promise<void> = Promise.resolve();
  #stopped = false;

  constructor(options: SlotSupervisorOptions<W>) {
    this.#options = options;
    this.id = options.id;
    this.port = options.port;
    this.#crashes = new CrashWindow(options.policy.crashWindow);
    this.#memoryReplacements = new CrashWindow(options.policy.crashWindow);
  }

  /** The worker serving this slot, if any. */
  get current(): W | undefined {
    return this.#current;
  }

  get restarts(): number {
    return this.#restarts;
  }

  /** Why the slot is no longer restarted; undefined while it is. */
  get givenUp(): FleetError | undefined {
    return this.#givenUp;
  }

  get lastStats(): WorkerStats | undefined {
    return this.#lastStats;
  }

  get ready(): boolean {
    return this.#current?.state === 'ready';
  }

  /** Starts the slot's first worker. */
  start(): void {
    this.#current = this.#options.spawn(this.#options.generation());
  }

  /** The fleet stops: nothing is restarted or replaced any more. */
  stop(): void {
    this.#stopped = true;
    this.#cancelRestart();
  }

  /** Records the exit of one of this slot's workers and decides what follows. */
  onWorkerExit(worker: W, exit: WorkerExit): ExitDecision {
    if (this.#current !== worker) return IGNORE;
    this.#current = undefined;
    this.#lastStats = {
      ...worker.stats(this.#restarts),
      state: exit.expected ? 'stopped' : 'crashed',
    };
    if (this.#stopped || exit.expected) return IGNORE;
    const { fatal } = exit;
    if (fatal && !fatal.retryable && this.#failsEverySlot(fatal)) {
      // Reported once for the fleet, so the slot does not log this exit itself.
      this.#givenUp = this.#fatalError(fatal);
      return { action: 'fail-fleet', error: this.#givenUp, userStack: fatal.stack };
    }
    this.#options.logger.warn(
      { workerId: this.id, pid: worker.pid, code: exit.code, signal: exit.signal },
      `worker ${worker.pid} (slot ${this.id}) exited: ${exit.reason}`,
    );
    if (fatal && !fatal.retryable) return this.#giveUp(this.#fatalError(fatal));
    const crashes = this.#crashes.record();
    const { maxCrashes, crashWindow } = this.#options.policy;
    if (crashes >= maxCrashes) {
      return this.#giveUp(new CrashLoopError(this.id, crashes, crashWindow, exit.reason));
    }
    if (this.#replacing) return { action: 'await-replacement' };
    return { action: 'restart', attempt: crashes, delay: this.#scheduleRestart(crashes) };
  }

  /** Starts a new worker, waits until it listens, then drains the old one. One at a time. */
  replace(generation: number): Promise<void> {
    return this.#replace(generation, () => {});
  }

  /**
   * A graceful restart asked for by a user (not a reload): as replace(), but resolves with the new
   * worker once it is ready, while the old one drains. Counted in `restarts`.
   */
  restart(generation: number): Promise<W> {
    this.#restarts++;
    return new Promise((resolve, reject) => this.#replace(generation, resolve).catch(reject));
  }

  #replace(generation: number, swapped: (next: W) => void): Promise<void> {
    const run = this.#operation
      .catch(() => {})
      .then(async () => {
        this.#cancelRestart();
        const next = this.#options.spawn(generation);
        this.#replacing = true;
        try {
          await next.ready;
        } catch (error) {
          next.kill('SIGKILL', 'replacement did not become ready', true);
          await next.exited;
          if (!this.#current && !this.#givenUp && !this.#stopped) this.#scheduleRestart(1);
          throw error;
        } finally {
          this.#replacing = false;
        }
        const old = this.#current;
        this.#current = next;
        this.#givenUp = undefined;
        this.#crashes = new CrashWindow(this.#options.policy.crashWindow);
        this.#options.onSwap(old);
        swapped(next);
        if (!old) return;
        await this.#options.beforeDrain?.(old);
        await old.drain();
      });
    this.#operation = run;
    return run;
  }

  /** A heartbeat's RSS: over `maxMemory`, the worker is replaced gracefully, within bounds. */
  checkMemory(worker: W, rssBytes: number): MemoryDecision {
    const { maxMemory: limit, maxCrashes, crashWindow } = this.#options.policy;
    if (limit === undefined || rssBytes <= limit) return 'keep';
    if (this.#current !== worker || this.#replacing || this.#stopped) return 'keep';
    const { logger } = this.#options;
    const replaced = this.#memoryReplacements.count();
    if (replaced >= maxCrashes) {
      if (!this.#memoryLoopReported) {
        this.#memoryLoopReported = true;
        const error = new MemoryLoopError(this.id, replaced, crashWindow, limit);
        logger.error({ workerId: this.id, err: error, code: error.code }, error.message);
      }
      return 'hold';
    }
    this.#memoryLoopReported = false;
    this.#memoryReplacements.record();
    logger.warn(
      { workerId: this.id, pid: worker.pid, rssBytes, maxMemory: limit },
      `worker ${worker.pid} uses ${rssBytes} bytes, over maxMemory: replacing it`,
    );
    this.#restarts++;
    this.replace(worker.generation).catch((error: Error) =>
      logger.error(
        { workerId: this.id },
        `memory replacement failed, old worker kept: ${error.message}`,
      ),
    );
    return 'replace';
  }

  /** Starts a new worker after the backoff delay of `attempt`, which it returns. */
  #scheduleRestart(attempt: number): number {
    const { restartDelay: initial, maxRestartDelay: max } = this.#options.policy;
    const delay = restartDelay(attempt, { initial, max });
    this.#restarts++;
    this.#options.logger.info(
      { workerId: this.id, delay, attempt },
      `restarting slot ${this.id} in ${delay} ms`,
    );
    this.#restartTimer = setTimeout(() => {
      this.#restartTimer = undefined;
      if (this.#stopped || this.#current || this.#givenUp) return;
      this.#current = this.#options.spawn(this.#options.generation());
    }, delay);
    return delay;
  }

  #cancelRestart(): void {
    clearTimeout(this.#restartTimer);
    this.#restartTimer = undefined;
  }

  #giveUp(error: FleetError): ExitDecision {
    this.#givenUp = error;
    this.#cancelRestart();
    return { action: 'give-up', error };
  }

  /** An entry that cannot load, or a shared port that is taken, fails every slot alike. */
  #failsEverySlot(fatal: FatalPayload): boolean {
    if (fatal.phase === 'load') return true;
    return fatal.phase === 'listen' && !this.#options.policy.perWorkerPorts;
  }

  #fatalError(fatal: FatalPayload): FleetError {
    if (fatal.code === 'EADDRINUSE') {
      return new PortInUseError(`${this.#options.policy.host}:${this.port}`);
    }
    return new WorkerStartError(this.id, fatal.message);
  }
}
