import { spawn } from 'node:child_process';

/** A command run by bash in a process group of its own, as a terminal runs one. */
export interface ShellProcess {
  output(): string;
  /** Resolves once the output contains `text`; fails with the output if the command ends first. */
  waitFor(text: string, timeout?: number): Promise<void>;
  /** A terminal's Ctrl-C: SIGINT to the whole group (bash, pnpm, turbo, node). */
  interrupt(): Promise<number | null>;
  /** Resolves with the exit code once it has ended. */
  exited: Promise<number | null>;
  /** SIGKILL to the group, if anything of it is left. */
  kill(): void;
}

export function startShell(
  command: string,
  cwd: string,
  env: Record<string, string>,
): ShellProcess {
  const child = spawn('bash', ['-c', command], {
    cwd,
    detached: true,
    env: { ...process.env, CI: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('close', resolve));
  let ended = false;
  void exited.then(() => (ended = true));
  const shell: ShellProcess = {
    output: () => output,
    exited,
    async waitFor(text, timeout = 240_000) {
      const until = Date.now() + timeout;
      while (!output.includes(text)) {
        if (ended || Date.now() > until)
          throw new Error(`"${command}" did not print "${text}":\n${output}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },
    async interrupt() {
      if (!ended) process.kill(-child.pid!, 'SIGINT');
      return exited;
    },
    kill() {
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // the group is gone already
      }
    },
  };
  return shell;
}
