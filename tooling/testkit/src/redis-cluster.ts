import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { InvalidOptionError, StartupError } from './errors.js';
import { freePort, isPortFree } from './free-port.js';
import { redisCommand } from './internal/redis-command.js';
import { DURABLE_ARGS, RedisProcess, requireRedisBinary } from './internal/redis-process.js';
import { track, trackTempDir } from './internal/registry.js';
import { waitUntil } from './internal/wait-until.js';

const run = promisify(execFile);
/** Redis Cluster talks node-to-node on the client port + 10000. */
const BUS_PORT_OFFSET = 10_000;

export interface RedisClusterServer {
  nodes: Array<{ host: string; port: number }>;
  /** Stops every node and removes their temp dirs; idempotent. */
  stop(): Promise<void>;
  /** Crashes node `index` with SIGKILL; its port stays reserved for restart(index). */
  kill(index: number): Promise<void>;
  /** Starts node `index` again on its port and waits until the cluster reports ok. */
  restart(index: number): Promise<void>;
}

export interface StartRedisClusterOptions {
  /** Number of masters (no replicas); at least 3, as redis-cli requires. Default 3. */
  masters?: number;
  /** Each node keeps every acknowledged write across kill(index) and restart(index) (see startRedis). */
  durable?: boolean;
  /** Extra redis-server arguments for every node, e.g. `['--cluster-require-full-coverage', 'no']`. */
  args?: string[];
}

/** Starts a Redis Cluster of N masters on loopback and waits until every node says ok. */
export async function startRedisCluster(
  options: StartRedisClusterOptions = {},
): Promise<RedisClusterServer> {
  const masters = options.masters ?? 3;
  if (!Number.isInteger(masters) || masters < 3 || masters > 16) {
    throw new InvalidOptionError('masters', 'an integer from 3 to 16', masters);
  }
  const durable = options.durable ?? false;
  if (typeof durable !== 'boolean') throw new InvalidOptionError('durable', 'a boolean', durable);
  const args = options.args ?? [];
  if (!Array.isArray(args) || args.some((arg) => typeof arg !== 'string')) {
    throw new InvalidOptionError('args', 'an array of strings', args);
  }
  requireRedisBinary('redis-server');
  const redisCli = requireRedisBinary('redis-cli');
  const root = mkdtempSync(join(tmpdir(), 'koa-fleet-redis-cluster-'));
  const removeRoot = trackTempDir(root);
  const processes: RedisProcess[] = [];
  let stopped: Promise<void> | undefined;
  const cluster: RedisClusterServer = {
    nodes: [],
    stop: () =>
      (stopped ??= (async () => {
        untrack();
        await Promise.all(processes.map((node) => node.stop()));
        removeRoot();
      })()),
    kill: (index) => nodeAt(processes, index).kill(),
    restart: async (index) => {
      const node = nodeAt(processes, index);
      await node.kill();
      await node.start();
      await waitForClusterOk(processes);
    },
  };
  const untrack = track(cluster);
  try {
    for (let index = 0; index < masters; index++) {
      const port = await freeClusterPort(processes.map((node) => node.port));
      const dir = join(root, `node-${index}`);
      mkdirSync(dir);
      const node = new RedisProcess(port, dir, [
        '--cluster-enabled',
        'yes',
        '--cluster-config-file',
        join(dir, 'nodes.conf'),
        '--cluster-node-timeout',
        '5000',
        ...(durable ? DURABLE_ARGS : []),
        ...args,
      ]);
      processes.push(node);
      await node.start();
      cluster.nodes.push({ host: '127.0.0.1', port });
    }
    await createCluster(redisCli, processes);
    await waitForClusterOk(processes);
  } catch (error) {
    await cluster.stop();
    throw error;
  }
  return cluster;
}

async function freeClusterPort(taken: readonly number[]): Promise<number> {
  for (;;) {
    const port = await freePort();
    const clash = taken.some(
      (other) =>
        other === port || other + BUS_PORT_OFFSET === port || other === port + BUS_PORT_OFFSET,
    );
    if (!clash && port + BUS_PORT_OFFSET <= 65_535 && (await isPortFree(port + BUS_PORT_OFFSET)))
      return port;
  }
}

async function createCluster(redisCli: string, processes: readonly RedisProcess[]): Promise<void> {
  const addresses = processes.map((node) => `127.0.0.1:${node.port}`);
  try {
    await run(
      redisCli,
      ['--cluster', 'create', ...addresses, '--cluster-replicas', '0', '--cluster-yes'],
      {
        timeout: 60_000,
      },
    );
  } catch (error) {
    const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string };
    throw new StartupError(`redis-cli --cluster create failed:\n${stdout}${stderr}`, {
      cause: error,
    });
  }
}

function waitForClusterOk(processes: readonly RedisProcess[]): Promise<true> {
  return waitUntil(
    'every cluster node to report cluster_state:ok',
    async () => {
      const infos = await Promise.all(
        processes.map((node) => redisCommand(node.port, ['CLUSTER', 'INFO'])),
      );
      return infos.every((info) => info.includes('cluster_state:ok')) ? true : undefined;
    },
    { timeout: 60_000, interval: 100 },
  );
}

function nodeAt(processes: readonly RedisProcess[], index: number): RedisProcess {
  const node = processes[index];
  if (!node)
    throw new InvalidOptionError('index', `a node index from 0 to ${processes.length - 1}`, index);
  return node;
}
