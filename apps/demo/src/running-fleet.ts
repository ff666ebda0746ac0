import type { Fleet } from '@koa-fleet/cluster';

/**
 * What the demo's main process does with a fleet: the cluster's `Fleet` when it is the fleet's
 * primary itself, a `HostFleet` when a host process of its own is (`--hosts`).
 */
export type RunningFleet = Pick<Fleet, 'ready' | 'closed' | 'reload' | 'stop' | 'kill'>;
