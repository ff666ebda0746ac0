import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { checkInteger } from '@koa-fleet/errors';
import { ServerStartError } from '../errors.js';
import { waitForPidsExit } from '../internal/wait-for-pids-exit.js';
import { waitForWorkers } from '../internal/wait-for-workers.js';
import type { Contender, RunningServer, StartContext } from '../scenario.js';
import { packageVersion } from './peer-version.js';

const run = promisify(execFile);
const PM2 = fileURLToPath(new URL('../../node_modules/.bin/pm2', import.meta.url));

export interface Pm2Options {
  name: string;
  description: string;
  /** Absolute path of the server file PM2 runs; it listens on PORT/HOST. */
  entry: string;
  instances: number;
}

/** The version of the PM2 the contenders run (this package's dependency), for the reports. */
export function pm2Version(): string {
  return packageVersion('pm2');
}

/**
 * `pm2 start <entry> -i <instances>` (PM2 cluster mode) with a PM2_HOME of its own in a temp
 * dir, so it never touches a user's PM2 daemon; stopping always runs `pm2 kill`. `reload()`
 * runs `pm2 reload <name>` (PM2's rolling reload, one instance after the other).
 */
export function pm2Cluster(options: Pm2Options): Contender {
  const { name, description, entry } = options;
  const instances = checkInteger('instances', options.instances, { min: 1 });
  return {
    name,
    description,
    async start({ port }: StartContext): Promise<RunningServer> {
      const home = mkdtempSync(join(tmpdir(), 'koa-fleet-bench-pm2-'));
      const env = { ...process.env, PM2_HOME: home, PORT: String(port), HOST: '127.0.0.1' };
      const stop = async (): Promise<void> => {
        try {
          // `pm2 kill` returns once the daemon is told, not when every worker has exited; the
          // next measurement must not share the CPU with a worker still shutting down.
          const pids = await pm2Pids(env, home);
          await run(PM2, ['kill'], { env, timeout: 60_000 });
          await waitForPidsExit(pids);
        } finally {
          rmSync(home, { recursive: true, force: true });
        }
      };
      const url = `http://127.0.0.1:${port}`;
      try {
        await run(PM2, ['start', entry, '-i', String(instances), '--name', name], {
          env,
          timeout: 60_000,
        });
        await waitForWorkers(url, instances);
      } catch (error) {
        await stop();
        throw ServerStartError.of(name, error);
      }
      const reload = async (): Promise<void> => {
        await run(PM2, ['reload', name], { env, timeout: 120_000 });
      };
      return { url, stop, reload };
    },
  };
}

/** The daemon's pid and its workers' pids, read before a kill so their exit can be awaited. */
async function pm2Pids(env: NodeJS.ProcessEnv, home: string): Promise<number[]> {
  const pidFile = join(home, 'pm2.pid');
  if (!existsSync(pidFile)) return [];
  const daemon = Number(readFileSync(pidFile, 'utf8'));
  const { stdout } = await run(PM2, ['jlist'], { env, timeout: 60_000 });
  const apps = JSON.parse(stdout) as Array<{ pid?: number }>;
  return [daemon, ...apps.map((app) => app.pid ?? 0)].filter((pid) => pid > 0);
}
