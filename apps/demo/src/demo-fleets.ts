import type { FleetStats } from '@koa-fleet/cluster';
import { startAppFleet } from './app-fleet.js';
import { hostFleetPort, type DemoOptions } from './demo-options.js';
import { HostFleet } from './host-fleet.js';
import type { RunDir } from './run-dir.js';
import type { RunningFleet } from './running-fleet.js';
import { writeFileSync } from 'node:fs';

/** One fleet of the demo, as the balancer follows it and the banner names it. */
export interface DemoFleet {
  /** `app`, or with `--hosts`: `host-1`, `host-2`, … — the fleet's name in the dashboard. */
  name: string;
  pidFile: string;
  /** Its primary: the demo's own process, or the host's. */
  primaryPid: number;
  fleet: RunningFleet;
}

/**
 * The demo's fleets. One host: this process is the fleet's primary (`app`). `--hosts N`: N
 * host processes, each a fleet's primary with its pid file and its port range
 * (`fleetPort + 100 h`), as N machines would run them; sessions are in the Redis they share.
 */
export function startDemoFleets(options: DemoOptions, runDir: RunDir): DemoFleet[] {
  if (options.hosts === 1) {
    const pidFile = runDir.pidFile('app');
    writeFileSync(pidFile, `${process.pid}\n`);
    const fleet = startAppFleet(options, pidFile);
    return [{ name: 'app', pidFile, primaryPid: process.pid, fleet }];
  }
  return Array.from({ length: options.hosts }, (_, host) => {
    const name = `host-${host + 1}`;
    const pidFile = runDir.pidFile(name);
    const fleet = new HostFleet(name, pidFile, {
      ...options,
      fleetPort: hostFleetPort(options, host),
    });
    return { name, pidFile, primaryPid: fleet.pid, fleet };
  });
}

/** Every fleet's stats once all are ready, in the fleets' order. */
export function allReady(fleets: DemoFleet[]): Promise<FleetStats[]> {
  return Promise.all(fleets.map(({ fleet }) => fleet.ready));
}

/** A rolling reload of one fleet after the other, so at most one slot of all is out at once. */
export async function reloadAll(fleets: DemoFleet[]): Promise<void> {
  for (const { fleet } of fleets) await fleet.reload();
}

/** Resolves with the exit code of the first fleet that ends. */
export function firstClosed(fleets: DemoFleet[]): Promise<number> {
  return Promise.race(fleets.map(({ fleet }) => fleet.closed));
}
