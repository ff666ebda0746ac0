/**
 * The slices of the optional peers' types that this package's public API names: an ioredis
 * client and a prom-client Registry (the latter from @koa-fleet/contracts), declared by shape so the published types compile without
 * ioredis or prom-client installed (as ipc-types.ts does for @koa-fleet/cluster). Inside, the
 * package uses them as what they are; `test/peer-types.test.ts` checks the real ones still fit.
 */

/** An ioredis `Redis` (standalone or Sentinel-backed) or `Cluster`, as `redisStore()` takes it. */
export interface RedisClient {
  readonly isCluster: boolean;
  readonly options: object;
  sendCommand(command: never, ...rest: never[]): unknown;
}

/** A prom-client `Registry`, as the stores' `registry` option takes it: the shared seam's shape. */
export type { MetricsRegistry } from '@koa-fleet/contracts';
