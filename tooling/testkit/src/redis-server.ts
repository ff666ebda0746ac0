import { mkdtempSync } from 'node:fs';
import { isIPv4 } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InvalidOptionError } from './errors.js';
import { freePort } from './free-port.js';
import { DURABLE_ARGS, RedisProcess, requireRedisBinary } from './internal/redis-process.js';
import { track, trackTempDir } from './internal/registry.js';

export interface RedisServer {
  host: string;
  port: number;
  /** `redis://HOST:PORT`, `redis://127.0.0.1:PORT` by default */
  url: string;
  /** Simulates a crash (default SIGKILL); the port stays reserved for restart(). */
  kill(signal?: NodeJS.Signals): Promise<void>;
  /** Starts again on the same port; resolves once PING answers. */
  restart(): Promise<void>;
  /** Stops the server and removes its temp dir; idempotent. */
  stop(): Promise<void>;
}

export interface StartRedisOptions {
  /** Extra redis-server arguments, e.g. `['--maxmemory', '10mb']`. */
  args?: string[];
  /**
   * Keep every acknowledged write across kill() and restart(): append-only file, fsync on each
   * write, in the same data dir. Default false (nothing persisted, restart() comes back empty).
   */
  durable?: boolean;
  /**
   * The one IPv4 address to listen on, default `127.0.0.1`: another only for a network this
   * machine made for a test (a bridge to network namespaces), never one that reaches outside.
   */
  host?: string;
}

/** Starts a throw-away redis-server on a free loopback port, with nothing persisted unless `durable`. */
export async function startRedis(options: StartRedisOptions = {}): Promise<RedisServer> {
  const args = options.args ?? [];
  if (!Array.isArray(args) || args.some((arg) => typeof arg !== 'string')) {
    throw new InvalidOptionError('args', 'an array of strings', args);
  }
  const durable = options.durable ?? false;
  if (typeof durable !== 'boolean') throw new InvalidOptionError('durable', 'a boolean', durable);
  const host = options.host ?? '127.0.0.1';
  if (typeof host !== 'string' || !isIPv4(host)) {
    throw new InvalidOptionError('host', 'an IPv4 address of this machine', host);
  }
  requireRedisBinary('redis-server');
  const port = await freePort(host);
  const dir = mkdtempSync(join(tmpdir(), 'koa-fleet-redis-'));
  const removeDir = trackTempDir(dir);
  // Protected mode refuses every client off loopback when there is no password; this server
  // listens on the one address asked for, which only the test's own network reaches.
  const access = host.startsWith('127.') ? [] : ['--protected-mode', 'no'];
  const redis = new RedisProcess(
    port,
    dir,
    [...access, ...(durable ? DURABLE_ARGS : []), ...args],
    host,
  );
  let stopped: Promise<void> | undefined;
  const server: RedisServer = {
    host,
    port,
    url: `redis://${host}:${port}`,
    kill: (signal) => redis.kill(signal),
    restart: async () => {
      await redis.kill();
      await redis.start();
    },
    stop: () =>
      (stopped ??= (async () => {
        untrack();
        await redis.stop();
        removeDir();
      })()),
  };
  const untrack = track(server);
  try {
    await redis.start();
  } catch (error) {
    await server.stop();
    throw error;
  }
  return server;
}
