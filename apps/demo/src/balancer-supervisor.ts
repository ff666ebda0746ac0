import { fork, type ChildProcess } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { fileURLToPath } from 'node:url';
import type { BalancerAddress, BalancerConfig } from '@koa-fleet/balancer';
import type { Logger } from '@koa-fleet/cluster';
import { isFromBalancer, type ToBalancer } from './balancer-messages.js';
import { BalancerCrashLoopError, BalancerStartError } from './errors.js';

/** The cluster's restart policy, for the one process the cluster does not supervise. */
const RESTART_DELAY_MS = 100;
const MAX_RESTART_DELAY_MS = 5000;
const MAX_CRASHES = 5;
const CRASH_WINDOW_MS = 60_000;
/** The balancer's `grace` (10 s) for requests in flight, and a margin to exit. */
const STOP_TIMEOUT_MS = 13_000;

export interface BalancerSupervisorEvents {
  /** A replacement listens again after a crash. */
  restarted: [address: BalancerAddress, pid: number];
  /** It crashed `MAX_CRASHES` times within `CRASH_WINDOW_MS`: no more restarts. */
  failed: [error: BalancerCrashLoopError];
}

/**
 * Runs the balancer in a process of its own and restarts it when it dies (with a doubling
 * delay, as the cluster restarts a worker), logging each crash in one line. Its own process,
 * so that a bug in it costs a restart of the balancer, never the fleet and its sessions.
 */
export class BalancerSupervisor extends EventEmitter<BalancerSupervisorEvents> {
  readonly #config: BalancerConfig;
  readonly #logger: Logger;
  readonly #entry = fileURLToPath(new URL('./balancer-process.js', import.meta.url));
  #child: ChildProcess | undefined;
  #stopping = false;
  #crashes: number[] = [];
  #restartTimer: NodeJS.Timeout | undefined;

  constructor(config: BalancerConfig, logger: Logger) {
    super();
    this.#config = config;
    this.#logger = logger;
  }

  /** The balancer process's pid while one runs. */
  get pid(): number | undefined {
    return this.#child?.pid;
  }

  /** Starts the balancer; resolves once it listens, rejects with BalancerStartError. */
  start(): Promise<BalancerAddress> {
    return this.#spawn();
  }

  /** Lets the balancer finish its requests in flight and exit; resolves once it has. */
  async stop(): Promise<void> {
    this.#stopping = true;
    clearTimeout(this.#restartTimer);
    const child = this.#child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    if (child.connected) child.send({ type: 'stop' } satisfies ToBalancer);
    else child.kill('SIGKILL');
    const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
    await exited;
    clearTimeout(timer);
  }

  /** Ends the balancer now (a second Ctrl-C). */
  kill(): void {
    this.#stopping = true;
    clearTimeout(this.#restartTimer);
    this.#child?.kill('SIGKILL');
  }

  #spawn(): Promise<BalancerAddress> {
    const child = fork(this.#entry, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    this.#child = child;
    return new Promise((resolve, reject) => {
      let listening = false;
      child.on('message', (message) => {
        if (!isFromBalancer(message)) return;
        if (message.type === 'listening') {
          listening = true;
          resolve(message.address);
        } else {
          reject(new BalancerStartError(message.code, message.message));
        }
      });
      child.once('exit', (code, signal) => {
        if (this.#child === child) this.#child = undefined;
        const how = signal ? `killed by ${signal}` : `exit code ${code}`;
        if (!listening) {
          reject(new BalancerStartError(undefined, `it exited before listening (${how})`));
        } else if (!this.#stopping) {
          this.#crashed(`pid ${child.pid}, ${how}`);
        }
      });
      child.send({ type: 'start', config: this.#config } satisfies ToBalancer);
    });
  }

  #crashed(reason: string): void {
    const now = Date.now();
    this.#crashes = [...this.#crashes.filter((at) => now - at < CRASH_WINDOW_MS), now];
    if (this.#crashes.length >= MAX_CRASHES) {
      const error = new BalancerCrashLoopError(this.#crashes.length, reason);
      this.#logger.error({ code: error.code }, error.message);
      this.emit('failed', error);
      return;
    }
    const delay = Math.min(
      RESTART_DELAY_MS * 2 ** (this.#crashes.length - 1),
      MAX_RESTART_DELAY_MS,
    );
    this.#logger.warn(`balancer exited unexpectedly (${reason}); restarting it in ${delay} ms`);
    this.#restartTimer = setTimeout(() => {
      this.#spawn().then(
        (address) => {
          const pid = this.#child?.pid ?? 0;
          this.#logger.info(`balancer restarted (pid ${pid}), serving ${address.url} again`);
          this.emit('restarted', address, pid);
        },
        (error: Error) => !this.#stopping && this.#crashed(error.message),
      );
    }, delay);
  }
}
