import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { InvalidOptionError, StartupError } from './errors.js';
import { freePort } from './free-port.js';
import { nginxBinary } from './nginx-available.js';
import { wrapNginxConfig } from './internal/nginx-conf.js';
import { childAccepting } from './internal/port-accepts.js';
import { track, trackTempDir } from './internal/registry.js';
import { SupervisedChild } from './internal/supervised-child.js';
import { waitUntil } from './internal/wait-until.js';

const run = promisify(execFile);

export interface NginxServer {
  /** The free port handed to the config function, or the first `listen` port of a string config. */
  port: number;
  /** `http://127.0.0.1:PORT` */
  url: string;
  /** Temp dir holding nginx.conf, error.log, pid and temp paths; removed on stop(). */
  dir: string;
  /** Validates `config` with `nginx -t`, then reloads it (SIGHUP) and waits for the new workers. */
  reload(config: string): Promise<void>;
  /** Stops nginx and removes its dir; idempotent. */
  stop(): Promise<void>;
  /** Contents of error.log so far. */
  errorLog(): string;
}

export type NginxConfig = string | ((ctx: { port: number; dir: string }) => string);

export interface StartNginxOptions {
  /**
   * `config` is a whole nginx.conf (`events {}`, `http {}`), run as it is: the pid, the error log
   * (at `info`) and `daemon off` are given on the command line, inside the temp dir; the file
   * must not set them itself. Its temp paths are nginx's compiled-in ones. Default false.
   */
  wholeFile?: boolean;
}

/**
 * Runs nginx in the foreground with `config` as the body of its `http {}` block (servers,
 * upstreams), or as the whole nginx.conf with `wholeFile`. The function form receives a free
 * port and the dir to build the config around.
 */
export async function startNginx(
  config: NginxConfig,
  { wholeFile = false }: StartNginxOptions = {},
): Promise<NginxServer> {
  if (typeof config !== 'string' && typeof config !== 'function') {
    throw new InvalidOptionError('config', 'a string or a function returning one', config);
  }
  if (typeof wholeFile !== 'boolean') {
    throw new InvalidOptionError('wholeFile', 'true or false', wholeFile);
  }
  const binary = nginxBinary();
  const port = typeof config === 'string' ? listenPortOf(config) : await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'koa-fleet-nginx-'));
  const removeDir = trackTempDir(dir);
  const confPath = join(dir, 'nginx.conf');
  const errorLogPath = join(dir, 'error.log');
  // A whole file's own main context is left alone; what keeps nginx in the test's dir and in
  // the foreground comes from the command line instead (-e for the log before the config's).
  const commandLine = wholeFile
    ? [
        '-e',
        errorLogPath,
        '-g',
        `daemon off; master_process on; pid ${join(dir, 'nginx.pid')}; error_log ${errorLogPath} info;`,
      ]
    : [];
  let child: SupervisedChild | undefined;
  let stopped: Promise<void> | undefined;

  const writeAndTest = async (body: string): Promise<void> => {
    writeFileSync(confPath, wholeFile ? body : wrapNginxConfig(body, dir));
    await testConfig(binary, ['-c', confPath, '-p', dir, ...commandLine]);
  };

  const server: NginxServer = {
    port,
    url: `http://127.0.0.1:${port}`,
    dir,
    errorLog: () => {
      try {
        return readFileSync(errorLogPath, 'utf8');
      } catch {
        return '';
      }
    },
    reload: async (next) => {
      if (typeof next !== 'string') throw new InvalidOptionError('config', 'a string', next);
      if (!child || child.exitStatus) throw new StartupError('nginx is not running');
      const generationsBefore = countWorkerStarts(server.errorLog());
      await writeAndTest(next);
      child.kill('SIGHUP');
      // The master logs a new "start worker process" line for each worker of the new config.
      await waitUntil('nginx to start workers with the reloaded config', async () =>
        countWorkerStarts(server.errorLog()) > generationsBefore ? true : undefined,
      );
    },
    stop: () =>
      (stopped ??= (async () => {
        untrack();
        await child?.stop();
        removeDir();
      })()),
  };
  const untrack = track(server);
  try {
    await writeAndTest(typeof config === 'function' ? config({ port, dir }) : config);
    const started = new SupervisedChild(binary, ['-c', confPath, '-p', dir, ...commandLine], {
      cwd: dir,
    });
    child = started;
    await childAccepting(started, 'nginx', port, () => `\n${server.errorLog()}`);
  } catch (error) {
    await server.stop();
    throw error;
  }
  return server;
}

async function testConfig(binary: string, args: string[]): Promise<void> {
  try {
    await run(binary, ['-t', ...args], { timeout: 30_000 });
  } catch (error) {
    const { stderr = '', stdout = '' } = error as { stderr?: string; stdout?: string };
    throw new StartupError(`nginx rejected the config:\n${stderr}${stdout}`, { cause: error });
  }
}

/** A string config chooses its own port; the first `listen` directive names it. */
function listenPortOf(config: string): number {
  const port = /\blisten\s+(?:127\.0\.0\.1:|localhost:)?(\d+)/.exec(config)?.[1];
  if (!port) {
    throw new InvalidOptionError(
      'config',
      'a config with `listen 127.0.0.1:PORT;` (or a function receiving a free port)',
      config,
    );
  }
  return Number(port);
}

function countWorkerStarts(log: string): number {
  return log.match(/start worker process/g)?.length ?? 0;
}
