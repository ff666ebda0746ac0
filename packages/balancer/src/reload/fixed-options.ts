import { isDeepStrictEqual } from 'node:util';
import { ReloadRestartError } from '../errors.js';
import type { BalancerConfig, ResolvedBalancerOptions } from '../options.js';

/** The options a reload applies: the backends, their defaults, and how long a removal waits. */
type LiveOption = 'backends' | 'maxFails' | 'failTimeout' | 'slowStart' | 'grace';

type Read = (config: BalancerConfig, resolved: ResolvedBalancerOptions) => unknown;

/**
 * Every other option of the config, and how to read it for a comparison: resolved where that is
 * plain data (so `"10s"` and `10000` are the same), as given where the resolved form is an object
 * with private state (`trustProxy`). A `satisfies` over the config's keys: an option added to
 * BalancerConfig fails the typecheck here until someone decides whether a reload may change it.
 */
const FIXED_OPTIONS = {
  port: (_, resolved) => resolved.port,
  host: (_, resolved) => resolved.host,
  strategy: (_, resolved) => resolved.strategy,
  tls: (_, resolved) => resolved.tls,
  admin: (_, resolved) => resolved.admin,
  healthCheck: (_, resolved) => resolved.healthCheck,
  timeouts: (_, resolved) => resolved.timeouts,
  keepAlive: (_, resolved) => resolved.keepAlive,
  client: (_, resolved) => resolved.client,
  retryAfter: (_, resolved) => resolved.retryAfterSeconds,
  nextUpstream: (_, resolved) => resolved.retry.nextUpstream,
  tries: (_, resolved) => resolved.retry.tries,
  nextUpstreamTimeout: (_, resolved) => resolved.retry.nextUpstreamTimeoutMs,
  retryBodyLimit: (_, resolved) => resolved.retry.retryBodyLimit,
  trustProxy: (config) => config.trustProxy ?? false,
  via: (_, resolved) => resolved.forwarding.via,
  requestId: (_, resolved) => resolved.forwarding.requestIdHeader,
  logger: (_, resolved) => resolved.logging.logger,
  logLevel: (_, resolved) => resolved.logging.level,
  accessLog: (_, resolved) => resolved.logging.accessLog,
  fleets: (_, resolved) => resolved.fleets,
} satisfies Record<Exclude<keyof BalancerConfig, LiveOption>, Read>;

/**
 * Throws a ReloadRestartError naming the first option that differs between the config in use and
 * the new one, among those a running balancer cannot change (its listeners, its strategy, what
 * the proxy was built with): a reload is all or nothing.
 */
export function checkFixedOptions(
  before: { config: BalancerConfig; resolved: ResolvedBalancerOptions },
  after: { config: BalancerConfig; resolved: ResolvedBalancerOptions },
): void {
  for (const [option, read] of Object.entries(FIXED_OPTIONS) as [string, Read][]) {
    const was = read(before.config, before.resolved);
    const now = read(after.config, after.resolved);
    if (!isDeepStrictEqual(was, now)) throw new ReloadRestartError(option);
  }
}
