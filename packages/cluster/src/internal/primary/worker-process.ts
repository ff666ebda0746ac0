import cluster from 'node:cluster';
import type { Worker } from 'node:cluster';
import { EventEmitter } from 'node:events';
import type { Logger } from 'pino';
import { WorkerStartError, WorkerStartTimeoutError } from '../../errors.js';
import type { WorkerStats } from '@koa-fleet/contracts';
import type { FatalPayload, HeartbeatPayload, ReadyPayload } from '../wire/control-messages.js';
import type { PrimaryIpcHub } from './ipc-hub.js';
import { handlerOf } from '../wire/handler-map.js';
import { CONTROL_NAMESPACE } from '../wire/protocol.js';
import { RpcEndpoint } from '../wire/rpc-endpoint.js';
import type { WorkerConfig } from '../wire/worker-config.js';
import { encodeWorkerConfig } from '../wire/worker-config.js';

export type WorkerState = 'starting' | 'ready' | 'draining' | 'exited';

export interface WorkerExit {
  code: number | null;
  signal: string | null;
  /** The fleet asked it to go (drain, stop, replace). */
  expected: boolean;
  /** What went wrong, in words, for logs and errors. */
  reason: string;
  /** Set when the worker said restarting cannot help (syntax error, port in use). */
  fatal?: FatalPayload;
}

export interface SpawnOptions {
  config: WorkerConfig;
  hub: PrimaryIpcHub;
  logger: Logger;
  startTimeout: number;
}

/** Extra time after `grace` before a draining worker that did not exit is SIGKILLed. */
const KILL_MARGIN_MS = 3000;

/**
 * The primary's view of one worker process: ready handshake, heartbeats, drain with a SIGKILL
 * backstop, and its end of the IPC channel.
 */
export class WorkerProcess extends EventEmitter<{ heartbeat: [HeartbeatPayload] }> {
  readonly workerId: number;
  readonly generation: number;
  /** The configured port until the worker is ready, then the one it bound (port 0 picks one). */
  port: number;
  readonly pid: number;
  readonly startedAt = Date.now();
  state: WorkerState = 'starting';
  lastHeartbeat = Date.now();
  load: HeartbeatPayload = { requests: 0, inFlight: 0, rssBytes: 0, eventLoopLagMs: 0 };
  /** Resolves once listening; rejects if it exits or times out first. */
  readonly ready: Promise<void>;
  readonly exited: Promise<WorkerExit>;

  readonly #worker: Worker;
  readonly #endpoint: RpcEndpoint;
  readonly #options: SpawnOptions;
  #expected = false;
  #killReason: string | undefined;
  #fatal: FatalPayload | undefined;
  #markReady!: () => void;

  constructor(options: SpawnOptions) {
    super();
    this.#options = options;
    this.workerId = options.config.id;
    this.generation = options.config.generation;
    this.port = options.config.port;
    this.#worker = cluster.fork(encodeWorkerConfig(options.config));
    this.pid = this.#worker.process.pid ?? -1;
    const from = { workerId: this.workerId, pid: this.pid };
    this.#endpoint = new RpcEndpoint({
      send: (message) => {
        if (!this.#worker.isConnected()) throw new Error('IPC channel closed');
        this.#worker.send(message);
      },
      handlerFor: (namespace) => options.hub.handlerFor(namespace, from),
      onCast: (namespace, type, payload) => {
        if (namespace === CONTROL_NAMESPACE) handlerOf(this.#control, type)?.(payload);
      },
      onMalformed: (reason) =>
        options.logger.warn({ workerId: this.workerId, reason }, 'ignored a malformed IPC message'),
      defaultTimeout: options.config.ipcTimeout,
    });
    this.#worker.on('message', (raw: unknown) => this.#endpoint.receive(raw));
    // A send to a worker that just died raises 'error' on it; the exit handler does the rest.
    this.#worker.on('error', () => {});
    this.exited = new Promise((resolve) => {
      this.#worker.once('exit', (code, signal) => {
        this.state = 'exited';
        this.#endpoint.close();
        resolve({
          code,
          signal,
          expected: this.#expected,
          reason: this.#describeExit(code, signal),
          ...(this.#fatal ? { fatal: this.#fatal } : {}),
        });
      });
    });
    this.ready = this.#handshake();
    this.ready.catch(() => {}); // observed by whoever awaits it; never an unhandled rejection
  }

  request(namespace: string, type: string, payload: unknown, timeout?: number): Promise<unknown> {
    return this.#endpoint.request(namespace, type, payload, timeout);
  }

  cast(namespace: string, type: string, payload: unknown): boolean {
    return this.#endpoint.cast(namespace, type, payload);
  }

  /** Asks the worker to drain and exit; SIGKILLs it if it is still there after grace + margin. */
  drain(): Promise<WorkerExit> {
    if (this.state === 'exited') return this.exited;
    this.#expected = true;
    if (this.state !== 'draining') {
      const starting = this.state === 'starting';
      this.state = 'draining';
      // A starting worker serves nothing yet, and one still booting has no IPC listener, so a
      // drain message would be lost: SIGTERM reaches it either way (its handler drains, before
      // the handler exists the default action ends it), and it never reports "started".
      const sent = starting
        ? this.#signal('SIGTERM')
        : this.#endpoint.cast(CONTROL_NAMESPACE, 'drain', undefined);
      if (!sent) this.kill('SIGKILL', 'IPC channel closed while draining');
      const backstop = setTimeout(
        () => this.kill('SIGKILL', `still running ${this.#options.config.grace} ms after drain`),
        this.#options.config.shutdownDelay + this.#options.config.grace + KILL_MARGIN_MS,
      );
      void this.exited.then(() => clearTimeout(backstop));
    }
    return this.exited;
  }

  /** A kill was sent; the exit is on its way. */
  get killed(): boolean {
    return this.#killReason !== undefined;
  }

  kill(signal: NodeJS.Signals, reason: string, expected = this.#expected): void {
    if (this.state === 'exited') return;
    this.#killReason ??= reason;
    this.#expected = expected;
    this.#worker.process.kill(signal);
  }

  #signal(signal: NodeJS.Signals): boolean {
    try {
      return this.#worker.process.kill(signal);
    } catch {
      return false;
    }
  }

  stats(restarts: number): WorkerStats {
    const now = Date.now();
    return {
      workerId: this.workerId,
      pid: this.pid,
      state: this.state === 'exited' ? 'stopped' : this.state,
      generation: this.generation,
      startedAt: this.startedAt,
      uptimeMs: now - this.startedAt,
      restarts,
      requests: this.load.requests,
      inFlight: this.load.inFlight,
      rssBytes: this.load.rssBytes,
      eventLoopLagMs: this.load.eventLoopLagMs,
      port: this.port,
    };
  }

  #handshake(): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const timeout = this.#options.startTimeout;
      const timer = setTimeout(() => {
        const error = new WorkerStartTimeoutError(this.workerId, timeout);
        this.kill('SIGKILL', error.message);
        reject(error);
      }, timeout);
      this.#markReady = () => {
        clearTimeout(timer);
        resolve();
      };
      void this.exited.then((exit) => {
        clearTimeout(timer);
        reject(new WorkerStartError(this.workerId, exit.reason));
      });
    });
  }

  /** The worker's control casts (see control-messages.ts), by type. */
  readonly #control: { readonly [type: string]: (payload: unknown) => void } = {
    ready: (payload) => {
      if (this.state !== 'starting') return;
      this.state = 'ready';
      const { port } = (payload ?? {}) as Partial<ReadyPayload>;
      if (typeof port === 'number') this.port = port;
      this.lastHeartbeat = Date.now();
      this.#markReady();
    },
    heartbeat: (payload) => {
      this.lastHeartbeat = Date.now();
      this.load = payload as HeartbeatPayload;
      this.emit('heartbeat', this.load);
    },
    draining: () => {
      if (this.state !== 'exited') this.state = 'draining';
    },
    fatal: (payload) => {
      this.#fatal = payload as FatalPayload;
    },
  };

  #describeExit(code: number | null, signal: string | null): string {
    if (this.#fatal) return this.#fatal.message;
    const how = signal ? `killed by ${signal}` : `exited with code ${code}`;
    return this.#killReason ? `${this.#killReason} (${how})` : how;
  }
}
