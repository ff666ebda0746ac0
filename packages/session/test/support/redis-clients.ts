import { Cluster, Redis, type RedisOptions } from 'ioredis';
import { recommendedClusterOptions, recommendedRedisOptions } from '../../dist/index.js';

/** A fail-fast client (the recommended options, plus `extra`), resolved once it is connected. */
export async function connectRedis(port: number, extra: RedisOptions = {}): Promise<Redis> {
  const client = new Redis(port, '127.0.0.1', { ...recommendedRedisOptions, ...extra });
  client.on('error', () => {}); // outages surface as failed commands, which the tests check
  // Without an offline queue, commands sent before the connection is up fail fast.
  await new Promise((resolve) => client.once('ready', resolve));
  return client;
}

/** A fail-fast Cluster client (the recommended Cluster options), resolved once it is ready. */
export async function connectCluster(
  nodes: Array<{ host: string; port: number }>,
): Promise<Cluster> {
  const client = new Cluster(nodes, recommendedClusterOptions);
  client.on('error', () => {});
  await new Promise((resolve) => client.once('ready', resolve));
  return client;
}

export interface CommandStat {
  calls: number;
  /** Calls Redis answered with an error (e.g. NOSCRIPT); counted in `calls` too. */
  failed: number;
}

/** Per top-level Redis command since the last `CONFIG RESETSTAT` (scripts' inner calls aside). */
export async function commandStats(client: Redis): Promise<Record<string, CommandStat>> {
  const text = await client.info('commandstats');
  const stats: Record<string, CommandStat> = {};
  for (const [, name, calls, failed] of text.matchAll(
    /^cmdstat_(\w+):calls=(\d+),.*?failed_calls=(\d+)/gm,
  )) {
    stats[name!] = { calls: Number(calls), failed: Number(failed) };
  }
  return stats;
}

/** Calls per top-level Redis command since the last `CONFIG RESETSTAT` (scripts' inner calls aside). */
export async function commandCalls(client: Redis): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const [name, { calls }] of Object.entries(await commandStats(client))) counts[name] = calls;
  return counts;
}
