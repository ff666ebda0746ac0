import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';

export interface LineMatcher {
  (line: string, json: Record<string, unknown> | undefined): boolean;
}

/**
 * A node process whose stdout/stderr lines a test can wait for. Every wait is for an event (a
 * line, an exit) with a generous deadline, never a sleep.
 */
export class NodeProcess {
  readonly child: ChildProcess;
  readonly lines: string[] = [];
  readonly #waiters = new Set<() => void>();
  readonly exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;

  constructor(args: string[], options: { env?: NodeJS.ProcessEnv; cwd?: string } = {}) {
    this.child = spawn(process.execPath, args, {
      cwd: options.cwd,
      env: { ...process.env, KOA_FLEET_LOG_FORMAT: 'json', ...options.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    for (const stream of [this.child.stdout!, this.child.stderr!]) {
      let buffered = '';
      stream.setEncoding('utf8');
      stream.on('data', (chunk: string) => {
        buffered += chunk;
        const parts = buffered.split('\n');
        buffered = parts.pop() ?? '';
        for (const line of parts) this.lines.push(line);
        for (const wake of [...this.#waiters]) wake();
      });
    }
    this.exit = new Promise((resolve) =>
      this.child.once('exit', (code, signal) => resolve({ code, signal })),
    );
    void this.exit.then(() => {
      for (const wake of [...this.#waiters]) wake();
    });
  }

  get pid(): number {
    return this.child.pid!;
  }

  /** Every line parsed as JSON (pino logs and the fixtures' test lines). */
  records(): Array<Record<string, unknown>> {
    return this.lines.flatMap((line) => {
      try {
        const value: unknown = JSON.parse(line);
        return typeof value === 'object' && value !== null
          ? [value as Record<string, unknown>]
          : [];
      } catch {
        return [];
      }
    });
  }

  /** Resolves with the first line (from `from` on) that matches; rejects on exit or deadline. */
  waitFor(
    match: LineMatcher | RegExp,
    { from = 0, timeout = 60_000 } = {},
  ): Promise<Record<string, unknown>> {
    const test: LineMatcher = match instanceof RegExp ? (line) => match.test(line) : match;
    return new Promise((resolve, reject) => {
      let index = from;
      const check = () => {
        for (; index < this.lines.length; index++) {
          const line = this.lines[index]!;
          let json: Record<string, unknown> | undefined;
          try {
            json = JSON.parse(line) as Record<string, unknown>;
          } catch {
            json = undefined;
          }
          if (test(line, json)) {
            done();
            return resolve(json ?? { line });
          }
        }
        if (this.child.exitCode !== null || this.child.signalCode !== null) {
          done();
          reject(new Error(`process exited before the line came; output:\n${this.tail()}`));
        }
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error(`no matching line within ${timeout} ms; output:\n${this.tail()}`));
      }, timeout);
      const done = () => {
        clearTimeout(timer);
        this.#waiters.delete(check);
      };
      this.#waiters.add(check);
      check();
    });
  }

  /** Waits for a fixture's `{ test: kind }` line. */
  waitForTest(
    kind: string,
    options: { from?: number; timeout?: number } = {},
  ): Promise<Record<string, unknown>> {
    return this.waitFor((_line, json) => json?.test === kind, options);
  }

  send(line: string): void {
    this.child.stdin!.write(`${line}\n`);
  }

  tail(count = 40): string {
    return this.lines.slice(-count).join('\n');
  }

  /** Stops the process if it still runs (test clean-up), escalating to SIGKILL. */
  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 20_000);
    await this.exit;
    clearTimeout(timer);
  }
}
