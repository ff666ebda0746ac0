import { Redis } from 'ioredis';
import { StartupError } from '@koa-fleet/testkit';

type Node = { host: string; port: number };

/** @koa-fleet/session's key of a session (default prefix): the braces make the id its hash tag. */
export function sessionKey(id: string): string {
  return `kf:sess:{${id}}`;
}

/**
 * For each key, the index in `nodes` of the master that serves its slot, as the cluster itself
 * says (`CLUSTER KEYSLOT`, `CLUSTER SLOTS` asked of `nodes[0]`). Ask before a node is killed.
 */
export async function mastersOf(
  nodes: readonly Node[],
  keys: readonly string[],
): Promise<number[]> {
  const { host, port } = nodes[0]!;
  const client = new Redis(port, host, { maxRetriesPerRequest: 1, lazyConnect: true });
  try {
    await client.connect();
    // Each range: first slot, last slot, then its master [host, port, id], then any replicas.
    const ranges = await client.cluster('SLOTS');
    return await Promise.all(
      keys.map(async (key) => {
        const slot = Number(await client.cluster('KEYSLOT', key));
        const range = ranges.find(([first, last]) => slot >= first && slot <= last);
        const masterPort = range?.[2]?.[1];
        const index = nodes.findIndex((node) => node.port === masterPort);
        if (index < 0) throw new StartupError(`no master of ${nodes.length} serves slot ${slot}`);
        return index;
      }),
    );
  } finally {
    client.disconnect();
  }
}
