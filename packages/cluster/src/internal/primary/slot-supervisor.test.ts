import type { Logger } from 'pino';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { WorkerStats } from '@koa-fleet/contracts';
import type { FatalPayload } from '../wire/control-messages.js';
import type { ExitDecision, SupervisionPolicy, SupervisedWorker } from './slot-supervisor.js';
import { SlotSupervisor } from './slot-supervisor.js';
import type { WorkerExit, WorkerState } from './worker-process.js';

let nextPid = 1000;

/** A worker process without a process: the test says when it listens and how it exits. */
class FakeWorker implements SupervisedWorker {
  readonly pid = nextPid++;
  readonly generation: number;
  state: WorkerState = 'starting';
  drained = false;
  readonly ready: Promise<void>;
  readonly exited: Promise<WorkerExit>;
  #listen!: () => void;
  #failStart!: (error: Error) => void;
  #exit!: (exit: WorkerExit) => void;

  constructor(generation: number) {
    this.generation = generation;
    this.ready = new Promise((resolve, reject) => {
      this.#listen = resolve;
      this.#failStart = reject;
    });
    this.ready.catch(() => {});
    this.exited = new Promise((resolve) => (this.#exit = resolve));
  }

  listen(): void {
    this.state = 'ready';
    this.#listen();
  }

  crash(reason = 'exited with code 1', fatal?: FatalPayload): void {
    this.exit({ code: 1, signal: null, expected: false, reason, ...(fatal && { fatal }) });
  }

  exit(exit: WorkerExit): void {
    if (this.state === 'exited') return;
    this.state = 'exited';
    this.#failStart(new Error(`worker ${this.pid} exited before it listened`));
    this.#exit(exit);
  }

  drain(): Promise<WorkerExit> {
    this.drained = true;
    this.exit({ code: 0, signal: null, expected: true, reason: 'exited with code 0' });
    return this.exited;
  }

  kill(signal: NodeJS.Signals, reason: string, expected = false): void {
    this.exit({ code: null, signal, expected, reason });
  }

  stats(restarts: number): WorkerStats {
    const state = this.state === 'exited' ? 'stopped' : this.state;
    return {
      ...ZERO_STATS,
      workerId: 0,
      pid: this.pid,
      state,
      generation: this.generation,
      restarts,
    };
  }
}

const ZERO_STATS = {
  startedAt: 0,
  uptimeMs: 0,
  requests: 0,
  inFlight: 0,
  rssBytes: 0,
  eventLoopLagMs: 0,
  port: 3000,
};

const POLICY: SupervisionPolicy = {
  host: '127.0.0.1',
  perWorkerPorts: false,
  maxMemory: undefined,
  maxCrashes: 3,
  crashWindow: 60_000,
  restartDelay: 100,
  maxRestartDelay: 1_000,
};

/** A supervised slot wired as the fleet wires it: every exit goes to onWorkerExit. */
function supervise(
  policy: Partial<SupervisionPolicy> = {},
  beforeDrain?: (old: FakeWorker) => Promise<void>,
) {
  const workers: FakeWorker[] = [];
  const decisions: ExitDecision[] = [];
  const swaps: Array<FakeWorker | undefined> = [];
  const logger = { info: vi.fn(), warn: vi.fn(), error: vi.fn() };
  let generation = 1;
  const slot: SlotSupervisor<FakeWorker> = new SlotSupervisor({
    id: 0,
    port: 3000,
    policy: { ...POLICY, ...policy },
    logger: logger as unknown as Logger,
    spawn: (g) => {
      const worker = new FakeWorker(g);
      workers.push(worker);
      void worker.exited.then((exit) => decisions.push(slot.onWorkerExit(worker, exit)));
      return worker;
    },
    generation: () => generation,
    onSwap: (old) => swaps.push(old),
    ...(beforeDrain && { beforeDrain }),
  });
  slot.start();
  return {
    slot,
    workers,
    decisions,
    swaps,
    logger,
    /** The fleet's generation, as a reload moves it on. */
    setGeneration: (g: number) => (generation = g),
  };
}

/** Lets promise callbacks run (exits reach the supervisor asynchronously, as in the fleet). */
const settle = () => vi.advanceTimersByTimeAsync(0);

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('SlotSupervisor', () => {
  it('restarts a crashed worker after the backoff delay, with the generation the fleet serves', async () => {
    const { slot, workers, decisions, setGeneration } = supervise();
    workers[0]!.listen();
    expect(slot.ready).toBe(true);

    workers[0]!.crash();
    await settle();
    expect(decisions).toEqual([{ action: 'restart', attempt: 1, delay: expect.any(Number) }]);
    const { delay } = decisions[0] as { delay: number };
    expect(delay).toBeGreaterThanOrEqual(50);
    expect(delay).toBeLessThanOrEqual(100);
    expect(slot.current).toBeUndefined();
    expect(slot.restarts).toBe(1);
    expect(slot.lastStats).toMatchObject({ pid: workers[0]!.pid, state: 'crashed', restarts: 0 });

    setGeneration(2);
    await vi.advanceTimersByTimeAsync(delay);
    expect(workers).toHaveLength(2);
    expect(slot.current).toBe(workers[1]);
    expect(workers[1]!.generation).toBe(2);
  });

  it('tells the old worker to drain only once beforeDrain resolved', async () => {
    let release!: () => void;
    const held: FakeWorker[] = [];
    const { slot, workers } = supervise({}, (old) => {
      held.push(old);
      return new Promise((resolve) => (release = resolve));
    });
    workers[0]!.listen();
    const replaced = slot.replace(2);
    await settle();
    workers[1]!.listen();
    await settle();
    expect(held).toEqual([workers[0]]);
    expect(slot.current).toBe(workers[1]);
    expect(workers[0]!.drained).toBe(false);

    release();
    await replaced;
    expect(workers[0]!.drained).toBe(true);
  });

  it('restart() resolves with the new worker once it listens, counts a restart, and drains the old one', async () => {
    const { slot, workers } = supervise();
    workers[0]!.listen();
    const restarted = slot.restart(1);
    await settle();
    workers[1]!.listen();
    expect(await restarted).toBe(workers[1]);
    expect(slot.restarts).toBe(1);
    await settle();
    expect(workers[0]!.drained).toBe(true);

    const failed = slot.restart(1);
    await settle();
    workers[2]!.crash('exited with code 1');
    await expect(failed).rejects.toThrow('exited before it listened');
    expect(slot.current).toBe(workers[1]);
  });

  it('ignores an exit the fleet asked for and the exits of workers the slot no longer runs', async () => {
    const { slot, workers, decisions } = supervise();
    workers[0]!.listen();
    const replaced = slot.replace(2);
    await settle();
    workers[1]!.listen();
    await replaced;
    expect(workers[0]!.drained).toBe(true);
    await settle();
    expect(decisions).toEqual([{ action: 'ignore' }]);

    await slot.current!.drain();
    await settle();
    expect(decisions).toEqual([{ action: 'ignore' }, { action: 'ignore' }]);
    expect(slot.lastStats).toMatchObject({ pid: workers[1]!.pid, state: 'stopped' });
    expect(slot.restarts).toBe(0);
  });

  it('gives the slot up after maxCrashes crashes within crashWindow', async () => {
    const { slot, workers, decisions } = supervise({ maxCrashes: 2 });
    workers[0]!.crash();
    await vi.advanceTimersByTimeAsync(1_000);
    workers[1]!.crash('database unreachable');
    await settle();

    const last = decisions[1];
    expect(last).toMatchObject({ action: 'give-up', error: { code: 'KF_CRASH_LOOP' } });
    expect(last?.action === 'give-up' && last.error.message).toContain(
      'worker 0 crashed 2 times within 60000 ms; not restarting it (last: database unreachable)',
    );
    expect(slot.givenUp).toBe(last?.action === 'give-up' && last.error);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(workers).toHaveLength(2);
  });

  it('fails the fleet for a failure every slot would share, and gives up only the slot whose own port is taken', async () => {
    const load: FatalPayload = {
      phase: 'load',
      message: 'SyntaxError: x',
      retryable: false,
      stack: 'SyntaxError: x\n    at app.mjs:1',
    };
    const fleetWide = supervise();
    fleetWide.workers[0]!.crash(load.message, load);
    await settle();
    expect(fleetWide.decisions).toEqual([
      {
        action: 'fail-fleet',
        error: expect.objectContaining({ code: 'KF_WORKER_START' }),
        userStack: load.stack,
      },
    ]);
    expect(fleetWide.logger.warn).not.toHaveBeenCalled(); // the fleet reports it, once

    const taken: FatalPayload = {
      phase: 'listen',
      message: 'in use',
      code: 'EADDRINUSE',
      retryable: false,
    };
    const shared = supervise();
    shared.workers[0]!.crash(taken.message, taken);
    await settle();
    expect(shared.decisions[0]).toMatchObject({
      action: 'fail-fleet',
      error: { code: 'KF_PORT_IN_USE', message: expect.stringContaining('127.0.0.1:3000') },
    });

    const own = supervise({ perWorkerPorts: true });
    own.workers[0]!.crash(taken.message, taken);
    await settle();
    expect(own.decisions[0]).toMatchObject({
      action: 'give-up',
      error: { code: 'KF_PORT_IN_USE' },
    });
    expect(own.logger.warn).toHaveBeenCalledTimes(1);
  });

  it('replaces a worker only once its successor listens, and leaves a crash meanwhile to the successor', async () => {
    const { slot, workers, decisions, swaps } = supervise();
    workers[0]!.listen();
    const replaced = slot.replace(2);
    await settle();
    expect(slot.current).toBe(workers[0]);

    workers[0]!.crash();
    await settle();
    expect(decisions).toEqual([{ action: 'await-replacement' }]);
    workers[1]!.listen();
    await replaced;
    expect(slot.current).toBe(workers[1]);
    expect(swaps).toEqual([undefined]); // the old one was gone already: nothing to drain
    await vi.advanceTimersByTimeAsync(10_000);
    expect(workers).toHaveLength(2);
  });

  it('kills a successor that does not listen and restarts a slot left without a worker', async () => {
    const { slot, workers } = supervise();
    workers[0]!.listen();
    const replaced = slot.replace(2);
    await settle();
    workers[0]!.crash();
    workers[1]!.crash('exited with code 1');
    await expect(replaced).rejects.toThrow('exited before it listened');
    expect(slot.current).toBeUndefined();
    await vi.advanceTimersByTimeAsync(100);
    expect(workers).toHaveLength(3);
    expect(slot.current).toBe(workers[2]);
  });

  it('runs one replacement of the slot at a time', async () => {
    const { slot, workers } = supervise();
    workers[0]!.listen();
    const first = slot.replace(2);
    const second = slot.replace(3);
    await settle();
    expect(workers).toHaveLength(2);
    workers[1]!.listen();
    await first;
    await settle();
    expect(workers.map((w) => w.generation)).toEqual([1, 2, 3]);
    workers[2]!.listen();
    await second;
    expect(workers.map((w) => w.drained)).toEqual([true, true, false]);
  });

  it('restarts and replaces nothing once stopped', async () => {
    const { slot, workers, decisions } = supervise();
    workers[0]!.crash();
    await settle();
    expect(decisions[0]?.action).toBe('restart');
    slot.stop();
    await vi.advanceTimersByTimeAsync(10_000);
    expect(workers).toHaveLength(1);
  });

  it('replaces a worker over maxMemory, then holds after maxCrashes replacements within crashWindow', async () => {
    const { slot, workers, logger } = supervise({ maxMemory: 100, maxCrashes: 2 });
    workers[0]!.listen();
    expect(slot.checkMemory(workers[0]!, 50)).toBe('keep');

    for (let i = 0; i < 2; i++) {
      const worker = slot.current!;
      expect(slot.checkMemory(worker, 200)).toBe('replace');
      await settle();
      expect(slot.checkMemory(worker, 200)).toBe('keep'); // its replacement is on its way
      workers.at(-1)!.listen();
      await settle();
      expect(worker.drained).toBe(true);
    }
    expect(slot.restarts).toBe(2);
    expect(slot.checkMemory(slot.current!, 200)).toBe('hold');
    expect(slot.checkMemory(slot.current!, 200)).toBe('hold');
    expect(logger.error).toHaveBeenCalledTimes(1);
    expect(logger.error.mock.calls[0]?.[0]).toMatchObject({ code: 'KF_MEMORY_LOOP' });

    await vi.advanceTimersByTimeAsync(60_000);
    expect(slot.checkMemory(slot.current!, 200)).toBe('replace');
  });
});
