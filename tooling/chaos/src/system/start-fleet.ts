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
  /** Each slot's own port (--per-worker-ports), slot 0 first. */
  ports: number[];
  urls: string[];
}

export interface StartFleetOptions {
  workers?: number;
  /** Where sessions live: `{ KF_CHAOS_REDIS_URL }` or `{ KF_CHAOS_REDIS_CLUSTER }`. */
  redis: Record<string, string>;
  /** More `koa-fleet start` flags. */
  args?: string[];
  /** More variables for the fleet, e.g. the system app's `KF_CHAOS_REQUEST_TIMEOUT`. */
  env?: Record<string, string>;
}

/** `koa-fleet start` of the system app with per-worker ports and a pid file, ready. */
export async function startFleet({
  workers = 2,
  redis,
  args = [],
  env = {},
}: StartFleetOptions): Promise<ChaosFleet> {
  const ports = await portRange(workers);
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
      '127.0.0.1',
      '--per-worker-ports',
      '--pid-file',
      pidFile,
      ...args,
    ],
    env: { KOA_FLEET_LOG_FORMAT: 'json', ...env, ...redis },
    readyLine: /fleet ready/,
    timeout: 60_000,
  });
  return { process, pidFile, ports, urls: ports.map((port) => `http://127.0.0.1:${port}`) };
}
