import type { Metric, Registry } from 'prom-client';

/**
 * Returns the metric already registered under `name`, or registers the one `create` builds.
 * Two middleware instances (or a hot reload) sharing one registry must not collide on names.
 */
export function reuseMetric<T extends Metric>(
  registry: Registry,
  name: string,
  create: () => T,
): T {
  return (registry.getSingleMetric(name) as T | undefined) ?? create();
}
