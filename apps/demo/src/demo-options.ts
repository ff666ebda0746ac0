import { availableParallelism } from 'node:os';
import { Command, Option } from 'commander';
import { InvalidOptionError, checkInteger, checkString } from '@koa-fleet/errors';
import { RedisRequiredError } from './errors.js';
import { integerFlag } from './flag-value.js';

/** What `pnpm demo` runs with, checked: every port named by the flag that sets it. */
export interface DemoOptions {
  /** The balancer's port: the one URL users open. */
  port: number;
  /** The balancer's admin listener: the dashboard, its API and `/metrics`. */
  adminPort: number;
  /** The first worker's port; worker `i` listens on `fleetPort + i`. */
  fleetPort: number;
  /** Workers per fleet. */
  workers: number;
  /**
   * Fleets, each as a host of its own (its own primary process, pid file and port range:
   * host `h` from `fleetPort + 100 h`), behind the one balancer. 1: the demo's own process is
   * the fleet's primary.
   */
  hosts: number;
  /** Where everything listens. */
  host: string;
  /** Sessions in Redis when set, otherwise in the store embedded in the fleet's primary. */
  redisUrl: string | undefined;
}

/** One port the demo listens on, with the flag that moves it (for messages). */
export interface NamedPort {
  port: number;
  flag: string;
}

/** How far apart the hosts' port ranges start: host `h`'s first worker on `fleetPort + 100 h`. */
export const HOST_PORT_STEP = 100;
const MAX_HOSTS = 4;

/** Two workers at least: with one, the balancer's weights would have nothing to split. */
const DEFAULT_WORKERS = Math.max(2, Math.min(availableParallelism(), 4));

interface Flags {
  port: string;
  adminPort: string;
  fleetPort: string;
  workers: string;
  hosts: string;
  host: string;
  redisUrl?: string;
}

/**
 * The demo's command line. Each flag also reads an environment variable, so `pnpm demo` (whose
 * arguments a script cannot easily pass on) can be moved with `PORT=8090 pnpm demo`.
 */
export function demoCommand(action: (options: DemoOptions) => Promise<void>): Command {
  return new Command('koa-fleet-demo')
    .description(
      'The koa-fleet demo: a balancer in front of a fleet of Koa workers with health and sessions.',
    )
    .addOption(flag('--port <port>', "the balancer's port", 'PORT', '8080'))
    .addOption(
      flag('--admin-port <port>', "the balancer's admin API and dashboard", 'ADMIN_PORT', '9090'),
    )
    .addOption(
      flag('--fleet-port <port>', "the first worker's port (then +1 each)", 'FLEET_PORT', '3001'),
    )
    .addOption(flag('--workers <n>', 'worker processes', 'WORKERS', String(DEFAULT_WORKERS)))
    .addOption(flag('--hosts <n>', 'fleets, as hosts of their own (needs Redis)', 'HOSTS', '1'))
    .addOption(flag('--host <host>', 'the address everything listens on', 'HOST', '127.0.0.1'))
    .addOption(
      new Option('--redis-url <url>', 'sessions in this Redis (default: embedded)').env(
        'REDIS_URL',
      ),
    )
    .showHelpAfterError()
    .exitOverride((error) => process.exit(error.exitCode === 0 ? 0 : 2))
    .action((flags: Flags) => action(resolveDemoOptions(flags)));
}

function flag(spec: string, description: string, variable: string, fallback: string): Option {
  return new Option(spec, description).env(variable).default(fallback);
}

/** Checks the flags once, naming the flag in every message (`--workers must be …`). */
export function resolveDemoOptions(flags: Flags): DemoOptions {
  const workers = checkInteger('--workers', integerFlag(flags.workers), { min: 1, max: 64 });
  const hosts = checkInteger('--hosts', integerFlag(flags.hosts), { min: 1, max: MAX_HOSTS });
  // An empty REDIS_URL is how a shell unsets it for one command: embedded sessions.
  const redisUrl = flags.redisUrl || undefined;
  // Each host's primary embeds its own store: only Redis is shared by every host.
  if (hosts > 1 && !redisUrl) throw new RedisRequiredError(hosts);
  const options: DemoOptions = {
    port: checkInteger('--port', integerFlag(flags.port), { min: 1, max: 65_535 }),
    adminPort: checkInteger('--admin-port', integerFlag(flags.adminPort), { min: 1, max: 65_535 }),
    fleetPort: checkInteger('--fleet-port', integerFlag(flags.fleetPort), {
      min: 1,
      max: 65_536 - workers - HOST_PORT_STEP * (hosts - 1),
    }),
    workers,
    hosts,
    host: checkString('--host', flags.host),
    redisUrl,
  };
  checkDistinct(listenedPorts(options));
  return options;
}

/** Every port the demo listens on, first the ones users open. */
export function listenedPorts(options: DemoOptions): NamedPort[] {
  return [
    { port: options.port, flag: '--port' },
    { port: options.adminPort, flag: '--admin-port' },
    ...fleetPorts(options).map((port) => ({ port, flag: '--fleet-port' })),
  ];
}

/** Every host's workers' ports. */
export function fleetPorts(
  options: Pick<DemoOptions, 'fleetPort' | 'workers' | 'hosts'>,
): number[] {
  return Array.from({ length: options.hosts }, (_, host) =>
    hostPorts(hostFleetPort(options, host), options.workers),
  ).flat();
}

/** Host `host`'s (0-based) first worker port: each host has a port range of its own. */
export function hostFleetPort(options: Pick<DemoOptions, 'fleetPort'>, host: number): number {
  return options.fleetPort + HOST_PORT_STEP * host;
}

/** A fleet's workers' ports: slot `i` on `first + i`, as the cluster's `perWorkerPorts` does. */
function hostPorts(first: number, workers: number): number[] {
  return Array.from({ length: workers }, (_, slot) => first + slot);
}

function checkDistinct(ports: NamedPort[]): void {
  const seen = new Map<number, string>();
  for (const { port, flag: name } of ports) {
    const other = seen.get(port);
    if (other !== undefined && other !== name) {
      throw new InvalidOptionError(name, `a port ${other} does not use`, port);
    }
    seen.set(port, name);
  }
}
