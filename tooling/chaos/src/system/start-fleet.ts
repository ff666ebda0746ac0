import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnNode, type NodeProcess } from '@koa-fleet/testkit';
import { fleetBin, systemApp } from './bins.js';
import { portRange } from './port-range.js';

export interface ChaosFleet {
  process: NodeProcess;
  /** Its --pid-file; the balancer follows the fleet through it (`fleets`). */
  pidFile: string;
  /** Each slot's own port (--per-worker-ports), slot 0 first; the one shared port without. */
  ports: number[];
  urls: string[];
}

export interface StartFleetOptions {
  workers?: number;
  /** Where sessions live: `{ KF_CHAOS_REDIS_URL }` or `{ KF_CHAOS_REDIS_CLUSTER }`. */
  redis: Record<string, string>;
  /** More `koa-fleet start` flags. */
  args?: string[];
  /** Added to the fleet's environment. */
  env?: Record<string, string>;
  /** Run the fleet inside this network namespace (a host of `createHostNetwork()`). */
  netns?: string;
  /** The address the workers listen on (and `urls` name); default `127.0.0.1`. */
  host?: string;
  /** Default true: each slot on its own port (what a balancer follows); false: one shared port. */
  perWorkerPorts?: boolean;
}

/** `koa-fleet start` of the system app with a pid file (per-worker ports unless told), ready. */
export async function startFleet({
  workers = 2,
  redis,
  args = [],
  env = {},
  netns,
  host = '127.0.0.1',
  perWorkerPorts = true,
}: StartFleetOptions): Promise<ChaosFleet> {
  const ports = await portRange(perWorkerPorts ? workers : 1);
  // Short: the control socket is <pidFile>.sock, and a unix socket path has ~100 bytes at most.
  const pidFile = join(mkdtempSync(join(tmpdir(), 'kf-')), 'app.pid');
  const process = await spawnNode(fleetBin, {
    args: [
      'start',
      systemApp,
      '--workers',
      String(workers),
      '--port',
      String(ports[0]),
      '--host',
      host,
      ...(perWorkerPorts ? ['--per-worker-ports'] : []),
      '--pid-file',
      pidFile,
      ...args,
    ],
    env: { KOA_FLEET_LOG_FORMAT: 'json', ...redis, ...env },
    readyLine: /fleet ready/,
    timeout: 60_000,
    ...(netns !== undefined && { netns }),
  });
  return { process, pidFile, ports, urls: ports.map((port) => `http://${host}:${port}`) };
}
