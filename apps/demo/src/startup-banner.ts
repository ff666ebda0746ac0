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

/** What `pnpm demo` prints once everything listens: the URLs to open, the dashboard first. */
export function startupBanner({
  options,
  balancer,
  balancerPid,
  stats,
  pidFile,
}: BannerFacts): string {
  const app = balancer.url;
  const dashboard = `${balancer.admin?.url ?? `http://127.0.0.1:${options.adminPort}`}/`;
  const workers = [...stats.workers]
    .sort((a, b) => a.workerId - b.workerId)
    .map((w) => `slot ${w.workerId} pid ${w.pid} :${w.port} weight ${slotWeight(w.workerId)}`);
  const sessions = options.redisUrl
    ? `Redis at ${options.redisUrl}`
    : 'embedded in the primary (set REDIS_URL to use Redis)';
  const jar = '-c /tmp/kf-demo.jar -b /tmp/kf-demo.jar';
  return [
    '',
    `koa-fleet demo ready: balancer → ${stats.ready} workers (primary pid ${process.pid}, balancer pid ${balancerPid})`,
    `  dashboard:  ${dashboard}`,
    `  app:        ${app}/   (through the balancer)`,
    `  workers:    ${workers.join(' · ')}`,
    `  sessions:   ${sessions}`,
    `  try:        curl ${app}/                                  which process served me`,
    `              curl ${jar} -X POST ${app}/session/visit   a visit, counted exactly`,
    `              curl ${jar} -X POST '${app}/session/cart?item=apple'`,
    `              curl ${app}/cpu   ·   curl '${app}/slow?ms=500'`,
    `  probes:     ${app}/readyz  ${app}/healthz/fleet  ${app}/metrics`,
    `  load:       pnpm demo:load --url ${app} --admin-url ${dashboard.slice(0, -1)}`,
    `  reload:     kill -HUP ${process.pid}  (or npx koa-fleet reload --pid-file ${pidFile})`,
    '  stop:       Ctrl-C',
    '',
  ].join('\n');
}
