import { FLEET_NAMESPACES } from '@koa-fleet/contracts';

/** IPC namespaces this package owns on the cluster channel (seam 4), from the one shared list. */
export const HEALTH_NAMESPACE = FLEET_NAMESPACES.health;
export const METRICS_NAMESPACE = FLEET_NAMESPACES.metrics;
