import { MissingBinaryError } from '../errors.js';
import { findBinary } from './find-binary.js';
import { redisCommand } from './redis-command.js';
import { SupervisedChild } from './supervised-child.js';
import { waitUntil } from './wait-until.js';

const INSTALL_HINT =
  'install it with `apt-get install -y redis-server` (or run scripts/bootstrap.sh)';

/**
 * `durable`: every write is on disk before Redis answers it (an append-only file synced on each
 * write), so what Redis acknowledged survives a kill -9 and a restart on the same data dir.
 */
export const DURABLE_ARGS: readonly string[] = ['--appendonly', 'yes', '--appendfsync', 'always'];

export function requireRedisBinary(name: 'redis-server' | 'redis-cli'): string {
  const path = findBinary(name);
  if (!path) throw new MissingBinaryError(name, INSTALL_HINT);
  return path;
}

/**
 * One redis-server on a fixed port and data dir that can be crashed and started again on the
 * same port; shared by the single server and every cluster node.
 */
export class RedisProcess {
  #current: SupervisedChild | undefined;

  constructor(
    readonly port: number,
    readonly dir: string,
    private readonly extraArgs: readonly string[],
    readonly host = '127.0.0.1',
  ) {}

  async start(): Promise<void> {
    const binary = requireRedisBinary('redis-server');
    const child = new SupervisedChild(
      binary,
      // Nothing persisted: tests start from an empty server every time (extraArgs may say
      // otherwise, e.g. DURABLE_ARGS: redis-server takes the last of a repeated option).
      [
        '--port',
        String(this.port),
        '--bind',
        this.host,
        '--save',
        '',
        '--appendonly',
        'no',
        '--dir',
        this.dir,
        ...this.extraArgs,
      ],
      { cwd: this.dir },
    );
    this.#current = child;
    await waitUntil(
      `redis-server on port ${this.port} to answer PING`,
      async () =>
        (await redisCommand(this.port, ['PING'], this.host)) === 'PONG' ? true : undefined,
      {
        timeout: 30_000,
        abortIf: () =>
          child.exitStatus
            ? new Error(
                `redis-server on port ${this.port} exited during start-up:\n${child.output()}`,
              )
            : undefined,
      },
    );
  }

  /** Kills the server and waits until it is gone, so the port is free for restart(). */
  async kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    const child = this.#current;
    if (!child || child.exitStatus) return;
    child.kill(signal);
    await child.waitForExit({ timeout: 30_000 });
  }

  async stop(): Promise<void> {
    await this.#current?.stop();
  }

  output(): string {
    return this.#current?.output() ?? '';
  }
}
