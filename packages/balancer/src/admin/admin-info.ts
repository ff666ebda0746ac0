import { PACKAGE_VERSION } from '../internal/package-files.js';
import type { ResolvedBalancerOptions } from '../options.js';
import type { AdminInfo } from './admin-types.js';

/** `GET /api/v1/info` for a balancer of these options reached at `url`, on `workers` processes. */
export function adminInfo(
  options: Pick<ResolvedBalancerOptions, 'strategy'>,
  url: string,
  workers: number,
): AdminInfo {
  return {
    api: 1,
    version: PACKAGE_VERSION,
    balancer: { url },
    strategy: options.strategy.name,
    workers,
  };
}
