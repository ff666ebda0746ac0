import type { AdminBackendList } from '@koa-fleet/balancer';
import { LoadTargetError } from './errors.js';

/**
 * The weight the balancer is configured with for each backend port, from its admin API — the
 * same figures the dashboard shows, so the load's table compares against what is running.
 */
export async function balancerWeights(adminUrl: string): Promise<Map<number, number>> {
  const url = new URL('/api/v1/backends', adminUrl);
  let list: AdminBackendList;
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(5000) });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    list = (await response.json()) as AdminBackendList;
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new LoadTargetError(
      `cannot read the balancer's weights at ${url} (${reason}): is the demo running? (--admin-url)`,
    );
  }
  return new Map(
    list.backends.map((backend) => [Number(new URL(backend.url).port), backend.weight]),
  );
}
