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

/** Calls per top-level Redis command since the last `CONFIG RESETSTAT` (scripts' inner calls aside). */
export async function commandCalls(client: Redis): Promise<Record<string, number>> {
  const text = await client.info('commandstats');
  const counts: Record<string, number> = {};
  for (const [, name, calls] of text.matchAll(/^cmdstat_(\w+):calls=(\d+)/gm)) {
    counts[name!] = Number(calls);
  }
  return counts;
}
