import { Option, type Command } from 'commander';
import { InvalidOptionError, isFleetError } from '@koa-fleet/errors';
import { ConfigFileError } from '../../errors.js';
import { LOG_LEVELS } from '../../logging.js';
import { DEFAULT_HOST, DEFAULT_PORT, type BalancerConfig } from '../../options.js';
import { STRATEGY_NAMES } from '../../strategies/choose-strategy.js';
import { parseBackendFlag } from './backend-flag.js';
import { parseFleetFlag } from './fleet-flag.js';
import { readConfigFile } from './config-file.js';

/** The admin token from the environment, so it stays out of the process list (`ps`). */
export const TOKEN_VARIABLE = 'KOA_FLEET_ADMIN_TOKEN';

/** The flags that make the balancer's config, as commander parses them. */
export interface ConfigFlags {
  config?: string;
  backend?: string[];
  fleet?: string[];
  port?: string;
  host?: string;
  strategy?: string;
  hashKey?: string;
  logLevel?: string;
  accessLog?: boolean;
  healthCheck?: string | true;
  tlsCert?: string;
  tlsKey?: string;
  httpRedirectPort?: string;
  /** The admin listener's flags (admin-flags.ts): only the proxy command has them. */
  adminPort?: string;
  adminHost?: string;
  adminToken?: string;
}

/**
 * The config flags, on the command that runs the balancer and on `export`: one definition, so
 * what the proxy runs and what it exports are read from the same flags alike.
 */
export function addConfigFlags(command: Command): Command {
  return command
    .option('-c, --config <file>', 'config file: .json, or a module (.mjs) exporting the config')
    .option(
      '-b, --backend <url[=weight]>',
      'a backend, e.g. http://127.0.0.1:3001=3 (repeat for each)',
      (value: string, list: string[] = []) => [...list, value],
    )
    .option(
      '--fleet <pid-file[=weight]>',
      'follow a koa-fleet fleet (started with --pid-file and --per-worker-ports): its workers are backends (repeat for each)',
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
    .option('--tls-cert <file>', 'serve HTTPS with this certificate chain (PEM); SIGHUP reloads it')
    .option('--tls-key <file>', 'the private key (PEM) of --tls-cert')
    .option(
      '--http-redirect-port <port>',
      'with --tls-cert: redirect plain HTTP on this port to HTTPS',
    );
}

/** The config of `--config` with the flags over it (flags win; `--backend` replaces the file's). */
export async function configFrom(flags: ConfigFlags): Promise<BalancerConfig> {
  const file = flags.config === undefined ? {} : await readConfigFile(flags.config);
  if (typeof file !== 'object' || file === null || Array.isArray(file)) {
    throw new ConfigFileError(flags.config ?? '', 'must hold an object such as { "backends": [] }');
  }
  const config = { ...file } as BalancerConfig;
  if (flags.backend) config.backends = flags.backend.map(parseBackendFlag);
  if (flags.fleet) config.fleets = flags.fleet.map(parseFleetFlag);
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
  if (config.backends === undefined && config.fleets === undefined) {
    throw new InvalidOptionError(
      '--backend',
      'given at least once (or --fleet), or --config with backends or fleets',
      undefined,
    );
  }
  return config;
}

/** The flag a config field came from, for messages in the user's terms. */
const FLAG_OF: Record<string, keyof ConfigFlags> = {
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

/**
 * An error as the command line says it: a bad field is named by the flag it came from
 * (`--port must be …`), by its path in the `--config` file, or as the option it is.
 */
export function messageOf(error: unknown, flags: ConfigFlags): string {
  if (!(error instanceof InvalidOptionError)) {
    return error instanceof Error ? error.message : String(error);
  }
  const { option, expected } = error;
  const got = error.got === 'undefined' ? 'nothing' : error.got;
  const backend = /^backends\[(\d+)\]/.exec(option);
  if (backend && flags.backend) {
    return `--backend ${flags.backend[Number(backend[1])]} (${option}) must be ${expected}, got ${got}`;
  }
  const fleet = /^fleets\[(\d+)\]/.exec(option);
  if (fleet && flags.fleet) {
    return `--fleet ${flags.fleet[Number(fleet[1])]} (${option}) must be ${expected}, got ${got}`;
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

export function toNumber(value: string): number | string {
  return /^\s*-?\d+(\.\d+)?\s*$/.test(value) ? Number(value) : value;
}

/** Says what went wrong, naming the flag, and exits: 2 for a bad flag or config, 1 otherwise. */
export function fail(error: unknown, flags: ConfigFlags, code: 1 | 2): never {
  console.error(`koa-fleet-balancer: ${messageOf(error, flags)}`);
  process.exit(isFleetError(error) ? code : 1);
}
