import { checkFunction, checkKnownKeys, checkNumber, InvalidOptionError } from '@koa-fleet/errors';
import { matchedRoute, type RouteLabel } from './matched-route.js';

export interface MetricsOptions {
  /** Metric name prefix. Default 'koa_fleet_'. */
  prefix?: string;
  /** Request duration histogram buckets, in seconds. */
  buckets?: number[];
  /** The `route` label; default the router's matched pattern (`ctx._matchedRoute`) or '*'. */
  route?: RouteLabel;
}

export interface ResolvedMetricsOptions {
  prefix: string;
  buckets: number[];
  route: RouteLabel;
}

const KEYS = Object.keys({
  prefix: true,
  buckets: true,
  route: true,
} satisfies Record<keyof MetricsOptions, true>);

export const DEFAULT_PREFIX = 'koa_fleet_';

const DEFAULT_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** Prometheus' rule for a metric name, which the prefix starts. */
const PROMETHEUS_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;

/** The `metrics` option: on by default, `false` turns request and process metrics off. */
export function resolveMetricsOptions(input: unknown): ResolvedMetricsOptions | undefined {
  const metrics = input ?? true;
  if (metrics === false) return undefined;
  const given = metrics === true ? {} : metrics;
  if (typeof given !== 'object' || given === null) {
    throw new InvalidOptionError('metrics', 'true, false or an object', metrics);
  }
  checkKnownKeys('metrics', given, KEYS);
  const options = given as MetricsOptions;
  const prefix = options.prefix ?? DEFAULT_PREFIX;
  if (typeof prefix !== 'string' || !PROMETHEUS_NAME.test(prefix)) {
    throw new InvalidOptionError('metrics.prefix', 'a valid Prometheus name prefix', prefix);
  }
  const buckets = options.buckets ?? DEFAULT_BUCKETS;
  if (!Array.isArray(buckets) || buckets.length === 0) {
    throw new InvalidOptionError('metrics.buckets', 'a non-empty array of seconds', buckets);
  }
  buckets.forEach((bucket, index) => checkNumber(`metrics.buckets[${index}]`, bucket, { min: 0 }));
  const route = checkFunction<RouteLabel>('metrics.route', options.route ?? matchedRoute);
  return { prefix, buckets, route };
}
