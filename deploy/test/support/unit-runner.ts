import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { spawnNode, type ExitStatus, type NodeProcess } from '@koa-fleet/testkit';
import { commandLine, readUnit, unitEnvironment, type SystemdUnit } from './systemd-unit.js';
import { sh, shellWords, type ShellResult } from './shell.js';

/**
 * A service unit run the way systemd runs it, without systemd: its ExecStart= in its
 * WorkingDirectory= with its environment, ExecReload= for `systemctl reload`, KillSignal= to the
 * main process alone (KillMode=mixed) for `systemctl stop`. The unit's absolute paths `/srv/`
 * and `/etc/` live under `root`, `%t` is `root/run`.
 */
export class UnitRunner {
  readonly unit: SystemdUnit;
  readonly root: string;
  #main: NodeProcess | undefined;

  constructor(unitFile: string, instance: string, root: string) {
    this.root = root;
    this.unit = readUnit(unitFile, {
      instance,
      runtimeDir: join(root, 'run'),
      moved: { '/srv/': join(root, 'srv/'), '/etc/': join(root, 'etc/') },
    });
  }

  /** The path the unit calls `path` (`/srv/web` → `root/srv/web`). */
  path(path: string): string {
    return path.replace(/^\/(srv|etc)\//, `${this.root}/$1/`);
  }

  /** The main process, once started. */
  get main(): NodeProcess {
    if (!this.#main) throw new Error('the unit was not started');
    return this.#main;
  }

  /** `systemctl start`: RuntimeDirectory=, then ExecStart= (until `readyLine`, when given). */
  async start(readyLine?: RegExp, extraEnvironment: Record<string, string> = {}): Promise<void> {
    for (const directory of this.unit.all('Service', 'RuntimeDirectory')) {
      mkdirSync(join(this.root, 'run', directory), { recursive: true });
    }
    const [executable, script, ...args] = commandLine(this.unit.get('Service', 'ExecStart'));
    if (executable !== '/usr/bin/node' || script === undefined) {
      throw new Error(`ExecStart is not /usr/bin/node <script> …: ${executable}`);
    }
    // This test's node stands for /usr/bin/node (the same major on this machine and in CI).
    this.#main = await spawnNode(script, {
      args,
      cwd: this.unit.get('Service', 'WorkingDirectory'),
      env: { ...unitEnvironment(this.unit), ...extraEnvironment },
      ...(readyLine && { readyLine, timeout: 60_000 }),
    });
  }

  /** `systemctl reload`: ExecReload=, which systemd waits for; its exit code is reload's. */
  async reload(): Promise<ShellResult> {
    const argv = commandLine(this.unit.get('Service', 'ExecReload'));
    return sh(shellWords(argv), {
      cwd: this.unit.get('Service', 'WorkingDirectory'),
      env: unitEnvironment(this.unit),
    });
  }

  /** `systemctl stop`: KillSignal= to the main process only (KillMode=mixed), then its exit. */
  async stop(): Promise<ExitStatus> {
    if (this.unit.get('Service', 'KillMode') !== 'mixed') {
      throw new Error('this runner emulates KillMode=mixed only');
    }
    const signal = this.unit.get('Service', 'KillSignal') as NodeJS.Signals;
    process.kill(this.main.pid, signal);
    // Past TimeoutStopSec systemd would SIGKILL: a slower exit fails the test like it fails there.
    return this.main.waitForExit({ timeout: seconds(this.unit.get('Service', 'TimeoutStopSec')) });
  }
}

/** `30s`, `2min`, `90` (seconds) in ms: the forms this repository's units use. */
export function seconds(value: string): number {
  const match = /^(\d+)(s|min)?$/.exec(value);
  if (!match) throw new Error(`not a systemd time span this helper reads: ${value}`);
  return Number(match[1]) * (match[2] === 'min' ? 60_000 : 1000);
}
