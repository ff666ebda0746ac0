/**
 * Seam 5: one prom-client `Registry`, shared by the packages, each registering its own
 * `koa_fleet_…` metrics. Declared by shape so no package's published types need prom-client.
 */
export interface MetricsRegistry {
  getSingleMetric(name: string): unknown;
  registerMetric(metric: never): void;
}

/** The methods a registry is checked for (`checkMethods(option, value, REGISTRY_METHODS, …)`). */
export const REGISTRY_METHODS = ['getSingleMetric', 'registerMetric'] as const;
