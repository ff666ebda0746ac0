import cluster from 'node:cluster';
import { EventEmitter } from 'node:events';
import type { FleetError } from '@koa-fleet/errors';
import type { Logger } from 'pino';
import {
  FleetStoppedError,
  FleetUsageError,
  PluginSetupError,
  ReloadAbortedError,
} from './errors.js';
import type { FleetEvents, WorkerEvent } from '@koa-fleet/contracts';
import type { PrimaryIpc } from '@koa-fleet/contracts';
import { createLogger } from './logger.js';
import type { ResolvedFleetOptions } from './options.js';
import type { PrimaryContext } from '@koa-fleet/contracts';
import type { FleetStats, FleetStatus, WorkerStats } from '@koa-fleet/contracts';
import { ControlServer } from './internal/control/control-server.js';
import type { ControlTarget } from './internal/control/control-server.js';
import { watchHeartbeats } from './internal/primary/heartbeat-watchdog.js';
import { PrimaryIpcHub } from './internal/primary/ipc-hub.js';
import { handleSignals } from './internal/primary/signals.js';
import { SlotSupervisor } from './internal/primary/slot-supervisor.js';
import type { ExitDecision } from './internal/primary/slot-supervisor.js';
import { workerExecPath } from './internal/primary/worker-exec.js';
import type { WorkerExit } from './internal/primary/worker-process.js';
import { WorkerProcess } from './internal/primary/worker-process.js';
import { checkSlot } from './internal/shared/check-slot.js';
import { describeAddress, plural } from './internal/shared/plural.js';
import { STATS_NAMESPACE } from './internal/wire/protocol.js';
import { workerConfig } from './internal/wire/worker-config.js';

type Slot = SlotSupervisor<WorkerProcess>;

/** The primary's handle on a running fleet. */
export class Fleet extends EventEmitter<FleetEvents> {
  /** Resolves when every slot is listening (or given up, with at least one listening). */
  readonly ready: Promise<FleetStats>;
  /** Resolves with the exit code once the fleet has stopped: 0 clean, 1 failed. */
  readonly closed: Promise<number>;
  readonly ipc: PrimaryIpc;
  readonly logger: Logger;

  readonly #options: ResolvedFleetOptions;
  readonly #hub: PrimaryIpcHub;
  readonly #slots: Slot[];
  readonly #live = new Set<WorkerProcess>();
  readonly #startedAt = Date.now();
  readonly #cleanups: Array<() => void | Promise<void>> = [];
  #generation = 1;
  /** Requests served by workers that exited, so the fleet total never goes backwards. */
  #retiredRequests = 0;
  #status: FleetStatus = 'starting';
  #settled = false;
  #stopping: Promise<void> | undefined;
  #stopped = false;
  #failure: Error | undefined;
  #reloadRunning: Promise<void> | undefined;
  #reloadQueued: Promise<void> | undefined;
  #watchdog: NodeJS.Timeout | undefined;
  /** The control socket's server, with the `controlSocket` option. */
  #control: ControlServer | undefined;
  #resolveReady!: (stats: FleetStats) => void;
  #rejectReady!: (error: Error) => void;
  #resolveClosed!: (code: number) => void;

  constructor(options: ResolvedFleetOptions) {
    super();
    if (!cluster.isPrimary) {
      throw new FleetUsageError('startFleet() must run in the primary process');
    }
    this.#options = options;
    this.logger = options.logger ?? createLogger(options.logLevel);
    this.#hub = new PrimaryIpcHub(() => [...this.#live].filter((w) => w.state !== 'exited'));
    this.ipc = this.#hub;
    this.#slots = Array.from({ length: options.workers }, (_, id) => this.#newSlot(id));
    this.ready = new Promise((resolve, reject) => {
      this.#resolveReady = resolve;
      this.#rejectReady = reject;
    });
    this.ready.catch(() => {}); // callers await it; an unobserved failure still ends in `closed`
    this.closed = new Promise((resolve) => (this.#resolveClosed = resolve));
    this.#hub.handle(STATS_NAMESPACE, { get: () => this.stats() });
    if (options.handleSignals) this.#ownProcess();
    // Entry mode forks the built bootstrap; app mode forks the calling script with its arguments.
    cluster.setupPrimary(
      options.app
        ? { exec: options.entry, args: process.argv.slice(2) }
        : { exec: workerExecPath(), args: [] },
    );
    void this.#boot();
  }

  /** Rolling reload: per slot, start a new worker, wait until it listens, then drain the old one. */
  reload(): Promise<void> {
    if (this.#stopping) return Promise.reject(new FleetStoppedError('reload'));
    if (this.#reloadRunning) {
      // Coalesce: every reload asked for while one runs is served by one more pass afterwards.
      this.#reloadQueued ??= this.#reloadRunning
        .catch(() => {})
        .then(() => {
          this.#reloadQueued = undefined;
          return this.#startReload();
        });
      return this.#reloadQueued;
    }
    return this.#startReload();
  }

  /**
   * Graceful restart of one slot (its `workerId`): a new worker starts, and once it listens the
   * old one drains, as in a reload. Resolves with the new worker once it is ready; rejects with
   * WorkerSlotError for no such slot, or with the new worker's start error (the old one keeps
   * serving).
   */
  async restartWorker(workerId: number): Promise<WorkerEvent> {
    const slot = this.#slots[checkSlot(workerId, this.#slots.length)]!;
    if (this.#stopping) throw new FleetStoppedError('restart a worker');
    await this.ready;
    this.logger.info({ workerId }, `restarting slot ${workerId} on request`);
    const worker = await slot.restart(this.#generation);
    return { workerId, pid: worker.pid, generation: worker.generation };
  }

  /** Drains every worker (SIGKILL after grace) and resolves when all have exited. */
  stop(): Promise<void> {
    this.#stopping ??= this.#shutdown();
    return this.#stopping;
  }

  /** SIGKILLs every worker now, without draining. */
  kill(): void {
    for (const worker of this.#live) worker.kill('SIGKILL', 'fleet killed', true);
  }

  stats(): FleetStats {
    const workers: WorkerStats[] = [];
    const live: WorkerStats[] = [];
    for (const slot of this.#slots) {
      const own = [...this.#live]
        .filter((w) => w.workerId === slot.id)
        .map((w) => w.stats(slot.restarts));
      if (own.length === 0 && slot.lastStats) workers.push(slot.lastStats);
      workers.push(...own);
      live.push(...own);
    }
    return {
      status: this.#status,
      workers,
      ready: this.#slots.filter((s) => s.ready).length,
      desired: this.#slots.length,
      restarts: this.#slots.reduce((sum, s) => sum + s.restarts, 0),
      requests: this.#retiredRequests + live.reduce((sum, w) => sum + w.requests, 0),
      inFlight: live.reduce((sum, w) => sum + w.inFlight, 0),
      startedAt: this.#startedAt,
    };
  }

  async #boot(): Promise<void> {
    // Yield once: a plugin that throws at once must not emit `failed` inside startFleet(),
    // before the caller could listen.
    await Promise.resolve();
    if (this.#options.controlSocket !== undefined) {
      try {
        this.#control = await this.#startControl(this.#options.controlSocket);
      } catch (error) {
        return this.#fail(error as Error);
      }
    }
    for (const plugin of this.#options.plugins) {
      try {
        const cleanup = await plugin.setup(this.#primaryContext(plugin.name));
        if (typeof cleanup === 'function') this.#cleanups.push(cleanup);
      } catch (error) {
        return this.#fail(
          error instanceof Error ? error : new PluginSetupError(plugin.name, error),
        );
      }
    }
    if (this.#stopping) return;
    const { workers, host } = this.#options;
    const ports = this.#slots.map((slot) => slot.port);
    const where = ports.every((p) => p === 0)
      ? `${host}:0 (a free port)`
      : describeAddress(host, ports);
    this.logger.info(
      { workers },
      `primary ${process.pid} starting ${plural(workers, 'worker')} on ${where}`,
    );
    for (const slot of this.#slots) slot.start();
    this.#watchdog = this.#startWatchdog();
  }

  #newSlot(id: number): Slot {
    const o = this.#options;
    const slot: Slot = new SlotSupervisor({
      id,
      port: o.perWorkerPorts ? o.port + id : o.port,
      policy: o,
      logger: this.logger,
      spawn: (generation) => this.#spawn(slot, generation),
      generation: () => this.#generation,
      beforeDrain: (old) =>
        this.#control?.announceDraining({
          workerId: old.workerId,
          pid: old.pid,
          generation: old.generation,
        }),
      onSwap: (old) => {
        this.#updateStatus();
        if (old) {
          this.emit('worker-draining', {
            workerId: old.workerId,
            pid: old.pid,
            generation: old.generation,
          });
        }
      },
    });
    return slot;
  }

  /** The control socket (reload, stop, stats, restart-worker, subscribe) on `path`. */
  async #startControl(path: string): Promise<ControlServer> {
    const o = this.#options;
    const target: ControlTarget = {
      slots: this.#slots.length,
      info: () => ({
        pid: process.pid,
        host: o.host,
        perWorkerPorts: o.perWorkerPorts,
        status: this.#status,
        generation: this.#generation,
        startedAt: this.#startedAt,
      }),
      slotPort: (workerId) => (o.perWorkerPorts ? this.#slots[workerId]?.port : undefined),
      stats: () => this.stats(),
      reload: () => this.reload(),
      stop: () => this.stop(),
      restartWorker: (slot) => this.restartWorker(slot),
      on: (event, listener) => this.on(event, listener as never),
    };
    const control = await ControlServer.start(target, {
      path,
      ackTimeout: o.controlAckTimeout,
      logger: this.logger,
    });
    // Stopped while it started: #shutdown found no server to close.
    if (this.#stopping) void control.close(this.#failure ? 1 : 0);
    return control;
  }

  #primaryContext(name: string): PrimaryContext {
    return {
      ipc: this.#hub,
      stats: () => this.stats(),
      // EventEmitter<FleetEvents> types the listener per event already; TS cannot relate the generic.
      on: (event, listener) => void this.on(event, listener as never),
      logger: this.logger.child({ plugin: name }),
    };
  }

  #spawn(slot: Slot, generation: number): WorkerProcess {
    if (this.#stopping) throw new FleetStoppedError('start a worker');
    const worker = new WorkerProcess({
      config: workerConfig(this.#options, slot, generation),
      hub: this.#hub,
      logger: this.logger,
      startTimeout: this.#options.startTimeout,
    });
    const event = { workerId: slot.id, pid: worker.pid, generation };
    this.#live.add(worker);
    this.emit('worker-starting', event);
    worker.on('heartbeat', (load) => {
      // A reload replaces every worker anyway.
      if (!this.#reloadRunning) slot.checkMemory(worker, load.rssBytes);
    });
    worker.ready.then(
      () => {
        this.emit('worker-ready', event);
        this.#updateStatus();
      },
      () => {},
    );
    void worker.exited.then((exit) => this.#onExit(slot, worker, exit));
    return worker;
  }

  #onExit(slot: Slot, worker: WorkerProcess, exit: WorkerExit): void {
    this.#live.delete(worker);
    this.#retiredRequests += worker.load.requests;
    const { workerId, pid, generation } = worker;
    this.emit('worker-exit', { workerId, pid, generation, ...exit, signal: exit.signal });
    this.#reportExit(slot, slot.onWorkerExit(worker, exit));
  }

  /** What the slot decided about an exit, told to the fleet's listeners and logs. */
  #reportExit(slot: Slot, decision: ExitDecision): void {
    switch (decision.action) {
      case 'fail-fleet':
        this.emit('slot-given-up', { workerId: slot.id, error: decision.error });
        return this.#fail(decision.error, decision.userStack);
      case 'give-up':
        return this.#giveUp(slot, decision.error);
      default:
        return this.#updateStatus();
    }
  }

  #giveUp(slot: Slot, error: FleetError): void {
    this.logger.error(
      { workerId: slot.id, code: error.code },
      `slot ${slot.id} given up: ${error.message}`,
    );
    this.emit('slot-given-up', { workerId: slot.id, error });
    if (this.#slots.every((s) => s.givenUp)) return this.#fail(error);
    this.#updateStatus();
  }

  /** `userStack`: the user's own error and frames behind it, shown instead of koa-fleet's. */
  #fail(error: Error, userStack?: string): void {
    if (this.#failure) return;
    this.#failure = error;
    // The user's frames say more than koa-fleet's own, where this error was made.
    if (userStack) error.stack = userStack;
    this.logger.fatal(
      { code: (error as { code?: string }).code, ...(userStack && { err: error }) },
      `fleet failed: ${error.message}`,
    );
    this.emit('failed', error);
    void this.stop();
  }

  #startReload(): Promise<void> {
    const run = this.#runReload().finally(() => {
      if (this.#reloadRunning === run) this.#reloadRunning = undefined;
      this.#updateStatus();
    });
    this.#reloadRunning = run;
    return run;
  }

  async #runReload(): Promise<void> {
    if (this.#stopping) throw new FleetStoppedError('reload');
    await this.ready;
    const generation = ++this.#generation;
    this.emit('reload-start');
    this.#updateStatus();
    this.logger.info({ generation }, `reload: starting generation ${generation}`);
    try {
      for (const slot of this.#slots) {
        if (this.#stopping) throw new FleetStoppedError('reload');
        await slot.replace(generation).catch((error: Error) => {
          throw error instanceof FleetStoppedError
            ? error
            : new ReloadAbortedError(slot.id, error.message, { cause: error });
        });
      }
    } catch (error) {
      this.logger.error({ generation }, (error as Error).message);
      this.emit('reload-done', { ok: false, error: error as Error });
      throw error;
    }
    this.logger.info({ generation }, `reload: generation ${generation} serving on every slot`);
    this.emit('reload-done', { ok: true });
  }

  /** Kills ready workers whose heartbeats stopped (a blocked event loop cannot send them). */
  #startWatchdog(): NodeJS.Timeout {
    const { heartbeatInterval: interval, heartbeatTimeout: timeout } = this.#options;
    return watchHeartbeats(
      () => this.#live,
      { interval, timeout },
      (worker, silentMs) => {
        this.logger.error(
          { workerId: worker.workerId, pid: worker.pid, silentMs },
          `worker ${worker.pid} sent no heartbeat for ${silentMs} ms (event loop blocked?): killing it`,
        );
        worker.kill('SIGKILL', `no heartbeat for ${silentMs} ms (event loop blocked?)`);
      },
    );
  }

  async #shutdown(): Promise<void> {
    // stop() sets #stopping only once this yields: before, the status would still say 'ready'
    // and 'stopping' would come after the first worker's exit.
    await Promise.resolve();
    this.#updateStatus();
    clearInterval(this.#watchdog);
    for (const slot of this.#slots) slot.stop();
    if (!this.#settled) this.#rejectReady(this.#failure ?? new FleetStoppedError('start'));
    this.logger.info(
      { workers: this.#live.size },
      `stopping: draining ${plural(this.#live.size, 'worker')}`,
    );
    await Promise.all([...this.#live].map((worker) => worker.drain()));
    for (const cleanup of this.#cleanups.reverse()) {
      try {
        await cleanup();
      } catch (error) {
        this.logger.error({ err: error }, 'plugin cleanup failed');
      }
    }
    this.#stopped = true;
    this.#updateStatus();
    const code = this.#failure ? 1 : 0;
    this.logger.info({ code }, `fleet stopped (exit code ${code})`);
    await this.#control?.close(code); // answers `stop` with the code, ends the subscriptions
    this.#resolveClosed(code);
  }

  #updateStatus(): void {
    let justSettled = false;
    if (!this.#settled && !this.#stopping) {
      const settled = this.#slots.every((s) => s.givenUp || s.ready);
      justSettled = settled && this.#slots.some((s) => !s.givenUp);
      this.#settled = justSettled;
    }
    const next = this.#computeStatus();
    if (next !== this.#status) {
      this.#status = next;
      this.emit('status', next);
    }
    if (justSettled) {
      const stats = this.stats();
      const ready = stats.workers.filter((w) => w.state === 'ready');
      const pids = stats.workers.map((w) => w.pid);
      const ports = ready.map((w) => w.port);
      const where = describeAddress(this.#options.host, ports);
      this.logger.info(
        { pids, ready: stats.ready, ports: [...new Set(ports)] },
        `fleet ready: ${stats.ready}/${stats.desired} workers on ${where}`,
      );
      this.#resolveReady(stats);
    }
  }

  #computeStatus(): FleetStatus {
    if (this.#stopped) return 'stopped';
    if (this.#stopping) return 'stopping';
    if (!this.#settled) return 'starting';
    if (this.#reloadRunning) return 'reloading';
    const ready = this.#slots.filter((s) => s.ready).length;
    return ready < this.#slots.length ? 'degraded' : 'ready';
  }

  /** With handleSignals: signals drive the fleet, and a signal stop or a failure ends the process. */
  #ownProcess(): void {
    let exitWhenClosed = false;
    const remove = handleSignals(this, this.logger, () => (exitWhenClosed = true));
    this.once('failed', () => (exitWhenClosed = true));
    void this.closed.then((code) => {
      remove();
      if (exitWhenClosed) process.exit(code);
    });
  }
}
