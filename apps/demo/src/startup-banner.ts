import type { BalancerAddress } from '@koa-fleet/balancer';
import type { FleetStats } from '@koa-fleet/cluster';
import { slotWeight } from './balancer-config.js';
import type { DemoFleet } from './demo-fleets.js';
import type { DemoOptions } from './demo-options.js';

export interface BannerFacts {
  options: DemoOptions;
  balancer: BalancerAddress;
  balancerPid: number;
  /** Every fleet, with its stats once ready, in the fleets' order. */
  fleets: Array<Pick<DemoFleet, 'name' | 'pidFile' | 'primaryPid'> & { stats: FleetStats }>;
}

/**
 * What `pnpm demo` prints once everything listens: the URLs to open (the dashboard first),
 * the processes and their weights, then commands to paste.
 */
export function startupBanner({ options, balancer, balancerPid, fleets }: BannerFacts): string {
  const app = balancer.url;
  const admin = balancer.admin?.url ?? `http://127.0.0.1:${options.adminPort}`;
  const sessions = options.redisUrl
    ? `in Redis at ${options.redisUrl}`
    : 'embedded in the primary (--redis-url or REDIS_URL for Redis)';
  const multiHost = fleets.length > 1;
  const ready = fleets.reduce((sum, { stats }) => sum + stats.ready, 0);
  const jar = '-b /tmp/kf-demo.jar -c /tmp/kf-demo.jar';
  return [
    '',
    multiHost
      ? `koa-fleet demo ready: the balancer in front of ${fleets.length} hosts, ${ready} workers`
      : `koa-fleet demo ready: the balancer in front of ${ready} workers`,
    '',
    `  dashboard   ${admin}/`,
    `  app         ${app}/   which process served me (JSON; a page in a browser)`,
    '',
    multiHost
      ? `  primary     pid ${process.pid}  the demo: runs the hosts and the balancer, sessions ${sessions}`
      : `  primary     pid ${process.pid}  the fleet: restarts workers, sessions ${sessions}`,
    `  balancer    pid ${balancerPid}  :${balancer.port}, admin API :${balancer.admin?.port ?? options.adminPort}`,
    ...fleets.flatMap(({ name, primaryPid, stats }) => [
      ...(multiHost
        ? [
            `  ${name.padEnd(10)}  pid ${primaryPid}  a host: its fleet's primary, on ports ${portRange(stats)}`,
          ]
        : []),
      ...workerLines(stats),
    ]),
    '',
    `  try         curl ${app}/`,
    `              curl ${jar} -X POST ${app}/session/visit`,
    `              curl ${jar} -X POST '${app}/session/cart?item=apple'`,
    `              curl ${jar} ${app}/session`,
    `              curl ${app}/cpu   curl '${app}/slow?ms=500'`,
    `  probes      ${app}/readyz  ${app}/healthz/fleet  ${app}/metrics`,
    `  load        pnpm demo:load --url ${app} --admin-url ${admin}`,
    multiHost
      ? `  reload      kill -HUP ${process.pid}   (every host, one after the other; or one: npx koa-fleet reload --pid-file ${fleets[0]?.pidFile})`
      : `  reload      kill -HUP ${process.pid}   (or: npx koa-fleet reload --pid-file ${fleets[0]?.pidFile})`,
    '  stop        Ctrl-C',
    '',
  ].join('\n');
}

function workerLines(stats: FleetStats): string[] {
  return [...stats.workers]
    .sort((a, b) => a.workerId - b.workerId)
    .map(
      (w) =>
        `  ${`slot ${w.workerId}`.padEnd(10)}  pid ${w.pid}  :${w.port}  weight ${slotWeight(w.workerId)}`,
    );
}

function portRange(stats: FleetStats): string {
  const ports = stats.workers.map((w) => w.port ?? 0).sort((a, b) => a - b);
  return ports.length > 1 ? `${ports[0]}-${ports.at(-1)}` : String(ports[0]);
}
