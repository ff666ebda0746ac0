/**
 * The IPC namespaces the koa-fleet packages own on the cluster channel, in one list so no two
 * packages pick the same one. Every `kf:` namespace is reserved for koa-fleet; choose another
 * prefix for your own.
 */
export const FLEET_NAMESPACES = {
  /** The cluster's own messages: ready, heartbeat, drain, fatal. */
  control: 'kf:control',
  /** `request('kf:stats', 'get')` answers the fleet's `FleetStats`. */
  stats: 'kf:stats',
  /** @koa-fleet/health: worker health reports for /healthz/fleet. */
  health: 'kf:health',
  /** @koa-fleet/health: the workers' metrics, gathered and aggregated by the primary. */
  metrics: 'kf:metrics',
  /** @koa-fleet/session: the embedded store's default namespace. */
  session: 'kf:session',
  /** @koa-fleet/balancer with `--workers`: the admin listener in the primary and each balancer. */
  balancer: 'kf:balancer',
} as const;

export type FleetNamespace = (typeof FLEET_NAMESPACES)[keyof typeof FLEET_NAMESPACES];
