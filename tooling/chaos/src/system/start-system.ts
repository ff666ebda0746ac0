import { startRedis, type RedisServer, type StartRedisOptions } from '@koa-fleet/testkit';
import { startBalancer, type ChaosBalancer, type StartBalancerOptions } from './start-balancer.js';
import { startFleet, type ChaosFleet, type StartFleetOptions } from './start-fleet.js';

/** The whole system on this machine: redis-server, a fleet on it, the balancer following it. */
export interface ChaosSystem {
  redis: RedisServer;
  fleet: ChaosFleet;
  balancer: ChaosBalancer;
  /** Stops the balancer, the fleet, then Redis. */
  stop(): Promise<void>;
}

export interface StartSystemOptions {
  redis?: StartRedisOptions;
  /** The fleet's options but where its sessions live (the Redis started here). */
  fleet?: Omit<StartFleetOptions, 'redis'>;
  /** The balancer's config but `fleets`: it follows the fleet started here. */
  balancer?: Omit<StartBalancerOptions['config'], 'fleets'>;
}

/**
 * Starts the system most scenarios run: one redis-server, a per-worker-ports fleet of the system
 * app with its sessions there, and `koa-fleet-balancer` following the fleet through its pid file.
 * What started is stopped again when a later part fails to start.
 */
export async function startSystem(options: StartSystemOptions = {}): Promise<ChaosSystem> {
  const started: { stop(): Promise<void> }[] = [];
  const stop = async () => {
    for (const part of started.splice(0).reverse()) await part.stop();
  };
  try {
    const redis = await startRedis(options.redis);
    started.push(redis);
    const fleet = await startFleet({ ...options.fleet, redis: { KF_CHAOS_REDIS_URL: redis.url } });
    started.push(fleet.process);
    const balancer = await startBalancer({
      config: { ...options.balancer, fleets: [{ control: fleet.pidFile }] },
    });
    started.push(balancer.process);
    return { redis, fleet, balancer, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
