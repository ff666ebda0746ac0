import type { BalancerAddress } from '@koa-fleet/balancer';
import type { FleetStats } from '@koa-fleet/cluster';
import { slotWeight } from './balancer-config.js';
import type { DemoOptions } from './demo-options.js';

export interface BannerFacts {
  options: DemoOptions;
  balancer: BalancerAddress;
  balancerPid: number;
  stats: FleetStats;
  pidFile: string;
}

/**
 * What `pnpm demo` prints once everything listens: the URLs to open (the dashboard first),
 * the processes and their weights, then commands to paste.
 */
export function startupBanner({
  options,
  balancer,
  balancerPid,
  stats,
  pidFile,
}: BannerFacts): string {
  const app = balancer.url;
  const admin = balancer.admin?.url ?? `http://127.0.0.1:${options.adminPort}`;
  const workers = [...stats.workers]
    .sort((a, b) => a.workerId - b.workerId)
    .map(
      (w) =>
        `  ${`slot ${w.workerId}`.padEnd(10)}  pid ${w.pid}  :${w.port}  weight ${slotWeight(w.workerId)}`,
    );
  const sessions = options.redisUrl
    ? `in Redis at ${options.redisUrl}`
    : 'embedded in the primary (--redis-url or REDIS_URL for Redis)';
  const jar = '-b /tmp/kf-demo.jar -c /tmp/kf-demo.jar';
  return [
    '',
    `koa-fleet demo ready: the balancer in front of ${stats.ready} workers`,
    '',
    `  dashboard   ${admin}/`,
    `  app         ${app}/   which process served me (JSON; a page in a browser)`,
    '',
    `  primary     pid ${process.pid}  the fleet: restarts workers, sessions ${sessions}`,
    `  balancer    pid ${balancerPid}  :${balancer.port}, admin API :${balancer.admin?.port ?? options.adminPort}`,
    ...workers,
    '',
    `  try         curl ${app}/`,
    `              curl ${jar} -X POST ${app}/session/visit`,
    `              curl ${jar} -X POST '${app}/session/cart?item=apple'`,
    `              curl ${jar} ${app}/session`,
    `              curl ${app}/cpu   curl '${app}/slow?ms=500'`,
    `  probes      ${app}/readyz  ${app}/healthz/fleet  ${app}/metrics`,
    `  load        pnpm demo:load --url ${app} --admin-url ${admin}`,
    `  reload      kill -HUP ${process.pid}   (or: npx koa-fleet reload --pid-file ${pidFile})`,
    '  stop        Ctrl-C',
    '',
  ].join('\n');
}
