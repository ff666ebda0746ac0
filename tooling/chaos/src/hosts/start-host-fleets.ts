import type { RedisServer } from '@koa-fleet/testkit';
import { startFleet, type ChaosFleet } from '../system/start-fleet.js';
import type { HostNetwork } from './host-network.js';

/**
 * One fleet of the system app on each host of `network`, listening on the host's address, with
 * its sessions in `redis` (started on the network's gateway) and the host's name in every answer.
 * The fleets start one after another, so a later one's ports are picked with the earlier bound.
 */
export async function startHostFleets(
  network: HostNetwork,
  redis: RedisServer,
  workers = 2,
): Promise<ChaosFleet[]> {
  const fleets: ChaosFleet[] = [];
  for (const host of network.hosts) {
    fleets.push(
      await startFleet({
        workers,
        redis: { KF_CHAOS_REDIS_URL: redis.url },
        netns: host.netns,
        host: host.address,
        env: { KF_CHAOS_HOST: host.name },
      }),
    );
  }
  return fleets;
}
