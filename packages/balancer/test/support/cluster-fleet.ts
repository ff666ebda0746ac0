import { mkdtempSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawnNode, type NodeProcess } from '@koa-fleet/testkit';
import { portPair } from './port-pair.js';

// A real `koa-fleet start` (the cluster's built bin) in a child process.
const require = createRequire(import.meta.url);
export const clusterBin = join(
  dirname(require.resolve('@koa-fleet/cluster/package.json')),
  'bin/koa-fleet.js',
);
export const fleetApp = fileURLToPath(new URL('../fixtures/fleet-app.mjs', import.meta.url));

export interface ClusterFleet {
  process: NodeProcess;
  /** Its --pid-file; the control socket is `<pidFile>.sock`. */
  pidFile: string;
  /** Each slot's own port (--per-worker-ports): slot 0 first. */
  ports: [number, number];
  urls: [string, string];
}

export interface ClusterFleetOptions {
  /** More `koa-fleet start` flags. */
  args?: string[];
  /** A pid file an earlier fleet ran with; a fresh one by default. */
  pidFile?: string;
  /** False: both workers share the first port (a fleet the balancer cannot follow). */
  perWorkerPorts?: boolean;
}

/** A fleet of 2 workers, by default with per-worker ports, and a pid file (so a control socket), ready. */
export async function startClusterFleet({
  args = [],
  // Short: a unix socket path has ~100 bytes at most.
  pidFile = join(mkdtempSync(join(tmpdir(), 'kf-')), 'app.pid'),
  perWorkerPorts = true,
}: ClusterFleetOptions = {}): Promise<ClusterFleet> {
  const ports = await portPair();
  const process = await spawnNode(clusterBin, {
    args: [
      'start',
      fleetApp,
      '--workers',
      '2',
      '--port',
      String(ports[0]),
      '--host',
      '127.0.0.1',
      ...(perWorkerPorts ? ['--per-worker-ports'] : []),
      '--pid-file',
      pidFile,
      ...args,
    ],
    env: { KOA_FLEET_LOG_FORMAT: 'json' },
    readyLine: /fleet ready/,
    timeout: 60_000,
  });
  const urls = ports.map((port) => `http://127.0.0.1:${port}`) as [string, string];
  return { process, pidFile, ports, urls };
}
