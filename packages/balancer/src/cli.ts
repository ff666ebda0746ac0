#!/usr/bin/env node
/**
 * koa-fleet-balancer — the command line over createBalancer(). The config comes from
 * `--config` (JSON or a module), from flags, or both (flags win; `--backend` replaces the file's
 * backends). `--workers N` runs it on N processes (internal/cli/workers.ts). Exit codes: 0
 * stopped by SIGINT/SIGTERM, 1 it failed while running (e.g. the port is taken), 2 a bad flag,
 * config or certificate.
 */
import { readFileSync } from 'node:fs';
import { Command, Option } from 'commander';
import { checkInteger, InvalidOptionError, isFleetError } from '@koa-fleet/errors';
import { createBalancer, type Balancer } from './balancer.js';
import { ConfigFileError } from './errors.js';
import { LOG_LEVELS } from './logging.js';
import { DEFAULT_HOST, DEFAULT_PORT, resolveOptions, type BalancerConfig } from './options.js';
import { STRATEGY_NAMES } from './strategies/choose-strategy.js';
import { parseBackendFlag } from './internal/cli/backend-flag.js';
import { readConfigFile } from './internal/cli/config-file.js';
import { runWorkers } from './internal/cli/workers.js';

const { version } = JSON.parse(
  readFileSync(new URL('../package.json', import.meta.url), 'utf8'),
) as { version: string };

interface Flags {
  config?: string;
  backend?: string[];
  port?: string;
  host?: string;
  strategy?: string;
  hashKey?: string;
  logLevel?: string;
  accessLog?: boolean;
  healthCheck?: string | true;
  workers?: string;
  tlsCert?: string;
  tlsKey?: string;
  httpRedirectPort?: string;
  adminPort?: string;
  adminHost?: string;
  adminToken?: string;
}

/** The admin token from the environment, so it stays out of the process list (`ps`). */
const TOKEN_VARIABLE = 'KOA_FLEET_ADMIN_TOKEN';

const program = new Command('koa-fleet-balancer')
  .description('An HTTP load balancer for Koa fleets (or any HTTP backends).')
  .version(version, '-V, --version', 'print the version')
  .option('-c, --config <file>', 'config file: .json, or a module (.mjs) exporting the config')
  .option(
    '-b, --backend <url[=weight]>',
    'a backend, e.g. http://127.0.0.1:3001=3 (repeat for each)',
    (value: string, list: string[] = []) => [...list, value],
  )
  .option('-p, --port <port>', `port to listen on; 0 picks a free one (default: ${DEFAULT_PORT})`)
  .option('-H, --host <host>', `address to listen on (default: ${DEFAULT_HOST})`)
  .addOption(
    new Option('-s, --strategy <name>', 'how to choose a backend (default: round-robin)').choices(
      STRATEGY_NAMES,
    ),
  )
  .option('--hash-key <key>', 'with --strategy hash: ip, cookie:<name> or header:<name>')
  .addOption(new Option('--log-level <level>', 'log level (default: info)').choices(LOG_LEVELS))
  .option('--access-log', 'log one line per response')
  .option('--health-check [path]', 'check every backend with GET path (default: /readyz)')
  .option('-w, --workers <n>', 'run on n processes through @koa-fleet/cluster (default: 1)')
  .option('--tls-cert <file>', 'serve HTTPS with this certificate chain (PEM); SIGHUP reloads it')
  .option('--tls-key <file>', 'the private key (PEM) of --tls-cert')
  .option(
    '--http-redirect-port <port>',
    'with --tls-cert: redirect plain HTTP on this port to HTTPS',
  )
  .option('--admin-port <port>', 'serve the admin API v1 and /metrics on this port')
  .option('--admin-host <host>', 'address of the admin listener (default: 127.0.0.1)')
  .option(
    '--admin-token <token>',
    `bearer token every admin request needs (better: ${TOKEN_VARIABLE}); required off loopback`,
  )
  .showHelpAfterError()
  .exitOverride((error) => process.exit(error.exitCode === 0 ? 0 : 2))
  .addHelpText(
    'after',
    `
Signals: SIGINT and SIGTERM stop it gracefully (requests in flight get "grace", 10 s by default).
The admin token can come from the environment: ${TOKEN_VARIABLE}.
With --workers, SIGHUP replaces the worker processes one by one.
With TLS, SIGHUP reads the certificate and key files again; open connections keep theirs.

Exit codes: 0 stopped by a signal, 1 failed while running (e.g. the port is taken), 2 a bad flag,
config or certificate.`,
  )
  .action(run);

void program.parseAsync();

async function run(flags: Flags): Promise<void> {
  let config: BalancerConfig;
  let balancer: Balancer | undefined;
  let workers: number | undefined;
  try {
    config = await configFrom(flags);
    workers = workersOf(flags);
    // The whole config is checked (and the certificates read) before anything listens, or forks.
    if (workers === undefined) balancer = createBalancer(config);
    else if (resolveOptions(config).tls) {
      // A fleet worker serves the balancer's listener on the cluster's plain HTTP server.
      throw new InvalidOptionError(
        '--workers',
        '1 with TLS (one process serves HTTPS for now)',
        workers,
      );
    }
  } catch (error) {
    fail(error, flags, 2);
  }
  if (!balancer) {
    // The fleet owns the signals and the exit code from here.
    return runWorkers(config, workers!, (error) => {
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
  if (config.tls) {
    process.on('SIGHUP', () => {
      try {
        balancer.reloadCertificates();
      } catch {
        // Logged by the balancer; it keeps the certificate it has, and goes on.
      }
    });
  }
}

async function configFrom(flags: Flags): Promise<BalancerConfig> {
  const file = flags.config === undefined ? {} : await readConfigFile(flags.config);
  if (typeof file !== 'object' || file === null || Array.isArray(file)) {
    throw new ConfigFileError(flags.config ?? '', 'must hold an object such as { "backends": [] }');
  }
  const config = { ...file } as BalancerConfig;
  if (flags.backend) config.backends = flags.backend.map(parseBackendFlag);
  if (flags.port !== undefined) config.port = toNumber(flags.port) as number;
  if (flags.host !== undefined) config.host = flags.host;
  if (flags.strategy !== undefined) {
    config.strategy = flags.hashKey
      ? ({ name: flags.strategy, key: flags.hashKey } as BalancerConfig['strategy'])
      : (flags.strategy as BalancerConfig['strategy']);
  } else if (flags.hashKey !== undefined) {
    throw new InvalidOptionError('--hash-key', 'given with --strategy hash', flags.hashKey);
  }
  if (flags.logLevel !== undefined) config.logLevel = flags.logLevel as BalancerConfig['logLevel'];
  if (flags.accessLog) config.accessLog = true;
  if (flags.healthCheck !== undefined) {
    const fromFile = typeof config.healthCheck === 'object' ? config.healthCheck : {};
    config.healthCheck =
      flags.healthCheck === true ? { ...fromFile } : { ...fromFile, path: flags.healthCheck };
  }
  if (flags.tlsCert !== undefined || flags.tlsKey !== undefined) {
    const cert = flags.tlsCert ?? config.tls?.cert;
    const key = flags.tlsKey ?? config.tls?.key;
    if (cert === undefined) {
      throw new InvalidOptionError('--tls-cert', 'given with --tls-key', cert);
    }
    if (key === undefined) {
      throw new InvalidOptionError('--tls-key', 'given with --tls-cert', key);
    }
    config.tls = { ...config.tls, cert, key };
  }
  if (flags.httpRedirectPort !== undefined) {
    if (!config.tls) {
      throw new InvalidOptionError(
        '--http-redirect-port',
        'given with --tls-cert and --tls-key',
        flags.httpRedirectPort,
      );
    }
    config.tls.httpRedirectPort = toNumber(flags.httpRedirectPort) as number;
  }
  const token = flags.adminToken ?? process.env[TOKEN_VARIABLE];
  if (flags.adminPort !== undefined) {
    config.admin = { ...config.admin, port: toNumber(flags.adminPort) as number };
  } else if (!config.admin && (flags.adminHost !== undefined || flags.adminToken !== undefined)) {
    throw new InvalidOptionError(
      '--admin-port',
      'given with --admin-host and --admin-token',
      undefined,
    );
  }
  if (config.admin) {
    if (flags.adminHost !== undefined) config.admin.host = flags.adminHost;
    if (token !== undefined && token !== '') config.admin.token = token;
  }
  if (config.backends === undefined) {
    throw new InvalidOptionError(
      '--backend',
      'given at least once, or --config with backends',
      undefined,
    );
  }
  return config;
}

/** The flag a config field came from, for messages in the user's terms. */
const FLAG_OF: Record<string, keyof Flags> = {
  port: 'port',
  host: 'host',
  strategy: 'strategy',
  'strategy.key': 'hashKey',
  logLevel: 'logLevel',
  'healthCheck.path': 'healthCheck',
  'tls.cert': 'tlsCert',
  'tls.key': 'tlsKey',
  'tls.httpRedirectPort': 'httpRedirectPort',
  'admin.port': 'adminPort',
  'admin.host': 'adminHost',
  'admin.token': 'adminToken',
};

/** `--workers`: undefined when not given (one process, no fleet). */
function workersOf(flags: Flags): number | undefined {
  if (flags.workers === undefined) return undefined;
  return checkInteger('--workers', toNumber(flags.workers), { min: 1, max: 1024 });
}

function fail(error: unknown, flags: Flags, code: 1 | 2): never {
  console.error(`koa-fleet-balancer: ${messageOf(error, flags)}`);
  process.exit(isFleetError(error) ? code : 1);
}

function messageOf(error: unknown, flags: Flags): string {
  if (!(error instanceof InvalidOptionError)) {
    return error instanceof Error ? error.message : String(error);
  }
  const { option, expected } = error;
  const got = error.got === 'undefined' ? 'nothing' : error.got;
  const backend = /^backends\[(\d+)\]/.exec(option);
  if (backend && flags.backend) {
    return `--backend ${flags.backend[Number(backend[1])]} (${option}) must be ${expected}, got ${got}`;
  }
  if (option === 'admin.token' && flags.adminToken === undefined) {
    const from = process.env[TOKEN_VARIABLE]
      ? TOKEN_VARIABLE
      : flags.adminPort !== undefined || flags.adminHost !== undefined
        ? `--admin-token (or ${TOKEN_VARIABLE})`
        : undefined;
    if (from) return `${from} must be ${expected}, got ${got}`;
  }
  const flag = FLAG_OF[option];
  if (flag && flags[flag] !== undefined) {
    return `--${flag.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)} must be ${expected}, got ${got}`;
  }
  if (option.startsWith('--')) return `${option} must be ${expected}, got ${got}`;
  return flags.config
    ? `${flags.config}: ${option} must be ${expected}, got ${got}`
    : `${option} must be ${expected}, got ${got}`;
}

function toNumber(value: string): number | string {
  return /^\s*-?\d+(\.\d+)?\s*$/.test(value) ? Number(value) : value;
}
