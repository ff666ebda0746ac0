#!/usr/bin/env node
/**
 * koa-fleet-balancer — the command line over createBalancer(). The config comes from
 * `--config` (JSON or a module), from flags, or both (flags win; `--backend` replaces the file's
 * backends). `--workers N` runs it on N processes (internal/cli/workers.ts). Exit codes: 0
 * stopped by SIGINT/SIGTERM, 1 it failed while running (e.g. the port is taken), 2 a bad flag,
 * config or certificate. `export nginx|haproxy` prints the same config as an engine's
 * (internal/cli/export-command.ts).
 */
import cluster from 'node:cluster';
import { Command } from 'commander';
import { checkInteger } from '@koa-fleet/errors';
import { createBalancer, type Balancer } from './balancer.js';
import { resolveOptions, type BalancerConfig } from './options.js';
import {
  addConfigFlags,
  configFrom,
  fail,
  messageOf,
  toNumber,
  type ConfigFlags,
} from './internal/cli/config-flags.js';
import { addAdminFlags, applyAdminFlags, TOKEN_VARIABLE } from './internal/cli/admin-flags.js';
import { addExportCommand } from './internal/cli/export-command.js';
import { runWorkers } from './internal/cli/workers.js';
import { PACKAGE_VERSION } from './internal/package-files.js';

interface Flags extends ConfigFlags {
  workers?: string;
}

const program = new Command('koa-fleet-balancer')
  .description('An HTTP load balancer for Koa fleets (or any HTTP backends).')
  .version(PACKAGE_VERSION, '-V, --version', 'print the version')
  // The balancer's flags come before `export`, whose own flags are the same ones.
  .enablePositionalOptions()
  .showHelpAfterError()
  .exitOverride((error) => process.exit(error.exitCode === 0 ? 0 : 2));
addAdminFlags(addConfigFlags(program))
  .option('-w, --workers <n>', 'run on n processes through @koa-fleet/cluster (default: 1)')
  .addHelpText(
    'after',
    `
Signals: SIGINT and SIGTERM stop it gracefully (requests in flight get "grace", 10 s by default).
The admin token can come from the environment: ${TOKEN_VARIABLE}.
With --config, SIGHUP reads the file again and applies it without dropping a request (backends
added, removed, re-weighted); a bad file is logged, naming the field, and the config in use stays.
With --workers, SIGHUP also replaces the worker processes one by one.
With TLS, SIGHUP reads the certificate and key files again; open connections keep theirs.

Exit codes: 0 stopped by a signal, 1 failed while running (e.g. the port is taken), 2 a bad flag,
config or certificate.

koa-fleet-balancer export nginx|haproxy [flags] prints the config as nginx's or HAProxy's.`,
  )
  .action(run);
addExportCommand(program);

void program.parseAsync();

async function run(flags: Flags): Promise<void> {
  let config: BalancerConfig | undefined;
  let balancer: Balancer | undefined;
  let workers: number | undefined;
  // The file read again on a reload (SIGHUP, POST /api/v1/reload) with the same flags over it.
  const readConfig = async () => applyAdminFlags(await configFrom(flags), flags);
  const source = flags.config === undefined ? undefined : readConfig;
  try {
    workers = workersOf(flags);
    config = await readConfig().catch((error: unknown) => {
      // A fleet worker starts from the config its primary holds (fleet/fleet-worker.ts): a file
      // broken since the fleet started (a SIGHUP the primary refused) must not stop it.
      if (workers !== undefined && cluster.isWorker) return undefined;
      throw error;
    });
    // The whole config is checked (and the certificates read) before anything listens, or forks.
    if (workers === undefined) balancer = createBalancer(config!);
    else if (config) resolveOptions(config);
  } catch (error) {
    fail(error, flags, 2);
  }
  if (!balancer) {
    // The fleet owns the signals and the exit code from here.
    return runWorkers(config, workers!, source, (error) => {
      console.error(`koa-fleet-balancer: ${messageOf(error, flags)}`);
    });
  }
  try {
    await balancer.listen();
  } catch (error) {
    fail(error, flags, 1);
  }
  let stopping = false;
  const stop = () => {
    if (stopping) return; // a second signal (npm forwards one Ctrl-C twice) changes nothing
    stopping = true;
    void balancer.close().then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  if (source) balancer.setConfigSource(source);
  const { tls } = config!;
  if (tls || source) {
    process.on('SIGHUP', () => {
      if (tls) {
        try {
          balancer.reloadCertificates();
        } catch {
          // Logged by the balancer; it keeps the certificate it has, and goes on.
        }
      }
      // Logged by the balancer, what changed or why nothing did; it goes on either way.
      if (source) balancer.reloadFromSource().catch(() => {});
    });
  }
}

/** `--workers`: undefined when not given (one process, no fleet). */
function workersOf(flags: Flags): number | undefined {
  if (flags.workers === undefined) return undefined;
  return checkInteger('--workers', toNumber(flags.workers), { min: 1, max: 1024 });
}
