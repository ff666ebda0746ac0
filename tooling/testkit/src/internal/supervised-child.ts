import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { StartupError, WaitTimeoutError } from '../errors.js';
import { killGroup, trackChild } from './registry.js';

export interface ExitStatus {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/**
 * A spawned child whose output is collected and can be awaited line by line. One piece serves
 * node processes, redis-server and nginx alike.
 */
export class SupervisedChild {
  readonly child: ChildProcess;
  #stdout = '';
  #stderr = '';
  #output = '';
  #exit: ExitStatus | undefined;
  readonly #exited: Promise<ExitStatus>;
  readonly #outputListeners = new Set<() => void>();

  constructor(command: string, args: readonly string[], options: SpawnOptions = {}) {
    this.child = spawn(command, args, {
      ...options,
      stdio: ['ignore', 'pipe', 'pipe'],
      // Own process group: one signal reaches grandchildren (nginx workers) too.
      detached: true,
    });
    trackChild(this.child);
    this.child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      this.#stdout += chunk;
      this.#append(chunk);
    });
    this.child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
      this.#stderr += chunk;
      this.#append(chunk);
    });
    this.#exited = new Promise((resolve) => {
      const settle = (status: ExitStatus): void => {
        this.#exit ??= status;
        resolve(this.#exit);
        this.#notify();
      };
      // 'close' waits for the pipes to drain, so output() is complete once exit is known.
      this.child.once('close', (code, signal) => settle({ code, signal }));
      this.child.once('error', (error) => {
        this.#append(`\n[spawn error] ${error.message}\n`);
        settle({ code: null, signal: null });
      });
    });
  }

  get pid(): number {
    return this.child.pid ?? -1;
  }

  get exitStatus(): ExitStatus | undefined {
    return this.#exit;
  }

  stdout(): string {
    return this.#stdout;
  }

  stderr(): string {
    return this.#stderr;
  }

  output(): string {
    return this.#output;
  }

  /** Resolves with the first match in everything printed so far or later. */
  waitForLine(
    pattern: RegExp | string,
    { timeout = 30_000 }: { timeout?: number } = {},
  ): Promise<RegExpMatchArray | string> {
    // A global/sticky regex keeps state between calls; matching must not depend on history.
    const regex =
      typeof pattern === 'string'
        ? undefined
        : new RegExp(pattern.source, pattern.flags.replace(/[gy]/g, ''));
    const find = (): RegExpMatchArray | string | undefined => {
      if (regex) return this.#output.match(regex) ?? undefined;
      return this.#output.includes(pattern as string) ? (pattern as string) : undefined;
    };
    return this.#waitFor(find, timeout, `output matching ${String(pattern)}`);
  }

  waitForExit({ timeout = 30_000 }: { timeout?: number } = {}): Promise<ExitStatus> {
    return this.#waitFor(() => this.#exit, timeout, 'exit', { rejectOnExit: false });
  }

  kill(signal: NodeJS.Signals = 'SIGTERM'): void {
    killGroup(this.child, signal);
  }

  /** SIGTERM, then SIGKILL to the whole group once `timeout` passes. */
  async stop({ timeout = 10_000 }: { timeout?: number } = {}): Promise<void> {
    if (this.#exit) return;
    this.kill('SIGTERM');
    const timer = setTimeout(() => this.kill('SIGKILL'), timeout);
    await this.#exited;
    clearTimeout(timer);
    // Anything left in the group (e.g. a worker that ignored the master's death) goes too.
    killGroup(this.child, 'SIGKILL');
  }

  #append(chunk: string): void {
    this.#output += chunk;
    this.#notify();
  }

  #notify(): void {
    for (const listener of [...this.#outputListeners]) listener();
  }

  #waitFor<T>(
    find: () => T | undefined,
    timeout: number,
    what: string,
    { rejectOnExit = true } = {},
  ): Promise<T> {
    return new Promise((resolve, reject) => {
      const check = (): boolean => {
        const found = find();
        if (found !== undefined) {
          done();
          resolve(found);
          return true;
        }
        if (rejectOnExit && this.#exit) {
          done();
          reject(
            new StartupError(
              `process ${this.pid} exited (${describe(this.#exit)}) before ${what}:\n${this.#output}`,
            ),
          );
          return true;
        }
        return false;
      };
      const timer = setTimeout(() => {
        done();
        reject(
          new WaitTimeoutError(
            `timed out after ${timeout} ms waiting for ${what} from process ${this.pid}; output so far:\n${this.#output}`,
          ),
        );
      }, timeout);
      const listener = (): void => void check();
      const done = (): void => {
        clearTimeout(timer);
        this.#outputListeners.delete(listener);
      };
      if (!check()) this.#outputListeners.add(listener);
    });
  }
}

function describe(status: ExitStatus): string {
  return status.signal ? `signal ${status.signal}` : `code ${String(status.code)}`;
}
