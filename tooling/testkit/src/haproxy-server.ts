import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { InvalidOptionError, StartupError } from './errors.js';
import { freePort } from './free-port.js';
import { haproxyBinary } from './haproxy-available.js';
import { childAccepting } from './internal/port-accepts.js';
import { track, trackTempDir } from './internal/registry.js';
import { SupervisedChild } from './internal/supervised-child.js';

const run = promisify(execFile);

export interface HaproxyServer {
  /** The free port handed to the config function, or the first `bind` port of a string config. */
  port: number;
  /** `http://127.0.0.1:PORT` */
  url: string;
  /** Temp dir holding haproxy.cfg; removed on stop(). */
  dir: string;
  /** What haproxy printed so far (its warnings, and its log when the config logs to stdout). */
  output(): string;
  /** Stops haproxy (SIGTERM: a hard stop) and removes its dir; idempotent. */
  stop(): Promise<void>;
}

export type HaproxyConfig = string | ((ctx: { port: number; dir: string }) => string);

/**
 * Runs HAProxy in the foreground (`haproxy -db -f haproxy.cfg`) with `config` as the whole
 * haproxy.cfg, once `haproxy -c` accepts it. The function form receives a free port and the dir
 * to build the config around. Resolves once the port accepts connections.
 */
export async function startHaproxy(config: HaproxyConfig): Promise<HaproxyServer> {
  if (typeof config !== 'string' && typeof config !== 'function') {
    throw new InvalidOptionError('config', 'a string or a function returning one', config);
  }
  const binary = haproxyBinary();
  const port = typeof config === 'string' ? bindPortOf(config) : await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'koa-fleet-haproxy-'));
  const removeDir = trackTempDir(dir);
  const confPath = join(dir, 'haproxy.cfg');
  let child: SupervisedChild | undefined;
  let stopped: Promise<void> | undefined;
  const server: HaproxyServer = {
    port,
    url: `http://127.0.0.1:${port}`,
    dir,
    output: () => child?.output() ?? '',
    stop: () =>
      (stopped ??= (async () => {
        untrack();
        await child?.stop();
        removeDir();
      })()),
  };
  const untrack = track(server);
  try {
    writeFileSync(confPath, typeof config === 'function' ? config({ port, dir }) : config);
    await checkConfig(binary, confPath);
    const started = new SupervisedChild(binary, ['-db', '-f', confPath], { cwd: dir });
    child = started;
    await childAccepting(started, 'haproxy', port);
  } catch (error) {
    await server.stop();
    throw error;
  }
  return server;
}

async function checkConfig(binary: string, confPath: string): Promise<void> {
  try {
    await run(binary, ['-c', '-f', confPath], { timeout: 30_000 });
  } catch (error) {
    const { stderr = '', stdout = '' } = error as { stderr?: string; stdout?: string };
    throw new StartupError(`haproxy rejected the config:\n${stderr}${stdout}`, { cause: error });
  }
}

/** A string config chooses its own port; the first `bind` names it. */
function bindPortOf(config: string): number {
  const port = /\bbind\s+(?:127\.0\.0\.1|localhost)?:(\d+)/.exec(config)?.[1];
  if (!port) {
    throw new InvalidOptionError(
      'config',
      'a config with `bind 127.0.0.1:PORT` (or a function receiving a free port)',
      config,
    );
  }
  return Number(port);
}
