import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BalancerConfig } from '@koa-fleet/balancer';
import { freePort, spawnNode, type NodeProcess } from '@koa-fleet/testkit';
import { balancerBin } from './bins.js';

export interface ChaosBalancer {
  process: NodeProcess;
  url: string;
  /** The admin listener's URL, when the config has `admin`. */
  adminUrl: string | undefined;
  /** The --config file: rewrite it and send SIGHUP to reload. */
  configFile: string;
}

export interface StartBalancerOptions {
  /** Everything but `port` and `host`, which the suite picks (127.0.0.1, a free port). */
  config: Omit<BalancerConfig, 'port' | 'host' | 'logger'>;
  /** More `koa-fleet-balancer` flags, e.g. `['--workers', '2']`. */
  args?: string[];
  env?: Record<string, string>;
}

/** `koa-fleet-balancer --config <file>` on a free loopback port, ready. */
export async function startBalancer({
  config,
  args = [],
  env = {},
}: StartBalancerOptions): Promise<ChaosBalancer> {
  const port = await freePort();
  const admin = config.admin
    ? { ...config.admin, port: config.admin.port || (await freePort()) }
    : undefined;
  const configFile = join(mkdtempSync(join(tmpdir(), 'kf-balancer-')), 'balancer.json');
  writeFileSync(
    configFile,
    JSON.stringify({ ...config, ...(admin && { admin }), port, host: '127.0.0.1' }),
  );
  const process = await spawnNode(balancerBin, {
    args: ['--config', configFile, ...args],
    env,
    readyLine: /balancing/,
    timeout: 60_000,
  });
  return {
    process,
    url: `http://127.0.0.1:${port}`,
    adminUrl: admin && `http://127.0.0.1:${admin.port}`,
    configFile,
  };
}
