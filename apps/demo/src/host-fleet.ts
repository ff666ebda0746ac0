import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { FleetStats } from '@koa-fleet/cluster';
import type { DemoOptions } from './demo-options.js';
import { isFromHost, type FromHost, type ToHost } from './host-messages.js';
import type { RunningFleet } from './running-fleet.js';

/** A fleet drains its workers on stop (the cluster's drain window); then it is killed. */
const STOP_TIMEOUT_MS = 30_000;

/**
 * One host of `--hosts N`, seen from the demo's main process: a fleet whose primary is a child
 * process (host-process.ts) with its own pid file and port range, driven over IPC — so the main
 * process handles it as it handles the fleet it runs itself.
 */
export class HostFleet implements RunningFleet {
  readonly ready: Promise<FleetStats>;
  readonly closed: Promise<number>;
  readonly #child: ChildProcess;
  readonly #entry = fileURLToPath(new URL('./host-process.js', import.meta.url));

  constructor(name: string, pidFile: string, options: DemoOptions) {
    const child = fork(this.#entry, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    this.#child = child;
    this.closed = new Promise((resolve) =>
      child.once('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0))),
    );
    this.ready = new Promise((resolve, reject) => {
      this.#on((message) => message.type === 'ready' && resolve(message.stats));
      void this.closed.then((code) =>
        reject(new Error(`host ${name} exited before its fleet was ready (exit code ${code})`)),
      );
    });
    this.ready.catch(() => {}); // `closed` says it too; main.ts awaits `ready` itself
    this.#send({ type: 'start', name, pidFile, options });
  }

  /** The host's primary. */
  get pid(): number {
    return this.#child.pid ?? 0;
  }

  /** A rolling reload of the host's workers; resolves once every slot serves the new generation. */
  reload(): Promise<void> {
    return new Promise((resolve, reject) => {
      const off = this.#on((message) => {
        if (message.type !== 'reloaded') return;
        off();
        if (message.error) reject(new Error(message.error));
        else resolve();
      });
      this.#send({ type: 'reload' });
    });
  }

  /** Drains the host's workers and lets its primary exit; resolves once it has. */
  async stop(): Promise<void> {
    if (this.#child.exitCode !== null || this.#child.signalCode !== null) return;
    this.#send({ type: 'stop' });
    const timer = setTimeout(() => this.#child.kill('SIGKILL'), STOP_TIMEOUT_MS);
    await this.closed;
    clearTimeout(timer);
  }

  /** Ends the host's primary now (a second Ctrl-C); its workers leave when it is gone. */
  kill(): void {
    this.#child.kill('SIGKILL');
  }

  #send(message: ToHost): void {
    if (this.#child.connected) this.#child.send(message);
  }

  #on(listener: (message: FromHost) => void): () => void {
    const handler = (message: unknown) => isFromHost(message) && listener(message);
    this.#child.on('message', handler);
    return () => this.#child.off('message', handler);
  }
}
