import type { UnitRunner } from './unit-runner.js';
import { sh } from './shell.js';

/** What became of each line of a docs block run on this machine. */
export interface DocRun {
  /** 0 when every line succeeded; else the exit code of the first that failed (bash -e). */
  code: number;
  /** Lines left out, each with why: they would change this machine or need systemd as init. */
  skipped: string[];
  output: string;
}

/**
 * Runs a docs block of VM commands the way its reader would, line by line from the repository,
 * with the unit's paths under the runner's root: `systemctl start|enable --now|reload|stop` of
 * the unit become the runner's (what systemd would run), `daemon-reload` has nothing to do, and
 * `useradd` is left out (it would add a user to this machine). `sudo` is dropped: tests run as the
 * owner of the test directory.
 */
export async function runDocBlock(
  code: string,
  runner: UnitRunner,
  unitName: string,
  readyLine: RegExp,
): Promise<DocRun> {
  const skipped: string[] = [];
  let output = '';
  for (const raw of code.split('\n')) {
    const line = raw.replace(/\s+#.*$/, '').trim();
    if (line === '' || line.startsWith('#')) continue;
    const command = line.replace(/^sudo\s+/, '');
    const systemctl = /^systemctl\s+(.+)$/.exec(command);
    if (systemctl) {
      const verb = systemctl[1]!.replace(/\s+/g, ' ');
      if (verb === 'daemon-reload') continue;
      if (verb === `enable --now ${unitName}` || verb === `start ${unitName}`) {
        await runner.start(readyLine);
      } else if (verb === `reload ${unitName}`) {
        const result = await runner.reload();
        output += result.stdout + result.stderr;
        if (result.code !== 0) return { code: result.code, skipped, output };
      } else if (verb === `stop ${unitName}`) {
        const exit = await runner.stop();
        if (exit.code !== 0) return { code: exit.code ?? 1, skipped, output };
      } else {
        throw new Error(`no emulation of: ${line}`);
      }
      continue;
    }
    if (/^useradd\b/.test(command)) {
      skipped.push(`${line} (would add a user to this machine)`);
      continue;
    }
    const result = await sh(moveUnitPaths(command, runner));
    output += result.stdout + result.stderr;
    if (result.code !== 0) return { code: result.code, skipped, output };
  }
  return { code: 0, skipped, output };
}

/** `/srv/…` and `/etc/…` words of a command, under the runner's root. */
function moveUnitPaths(command: string, runner: UnitRunner): string {
  return command.replace(
    /(^|\s)(\/(?:srv|etc)\/\S*)/g,
    (_, space: string, path: string) => `${space}${runner.path(path)}`,
  );
}
