import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

/** The repository: the build context of the image and where `pnpm … deploy` runs. */
export const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

export interface ShellResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `script` with bash (-e, -u, pipefail) and resolves with its exit code and output. */
export async function sh(
  script: string,
  options: { cwd?: string; env?: Record<string, string>; timeout?: number } = {},
): Promise<ShellResult> {
  const { cwd = repoRoot, env = {}, timeout = 120_000 } = options;
  try {
    const { stdout, stderr } = await promisify(execFile)(
      'bash',
      ['--noprofile', '--norc', '-euo', 'pipefail', '-c', script],
      {
        cwd,
        env: { ...withoutStartupFiles(process.env), ...env },
        timeout,
        maxBuffer: 16 * 1024 * 1024,
      },
    );
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: unknown; stdout?: string; stderr?: string };
    if (typeof failed.code !== 'number') throw error; // not started, or killed by the timeout
    return { code: failed.code, stdout: failed.stdout ?? '', stderr: failed.stderr ?? '' };
  }
}

/** The environment without BASH_ENV / ENV: a caller's start-up file would run (and print) first. */
function withoutStartupFiles(environment: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const { BASH_ENV: _bashEnv, ENV: _env, ...rest } = environment;
  return rest;
}

/** argv as one bash command line, each word single-quoted. */
export function shellWords(argv: readonly string[]): string {
  return argv.map((word) => `'${word.replace(/'/g, `'\\''`)}'`).join(' ');
}
