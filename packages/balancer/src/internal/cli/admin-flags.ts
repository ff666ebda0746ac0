import type { Command } from 'commander';
import { InvalidOptionError } from '@koa-fleet/errors';
import type { BalancerConfig } from '../../options.js';
import { TOKEN_VARIABLE, toNumber, type ConfigFlags } from './config-flags.js';

export { TOKEN_VARIABLE };

/** The admin listener's flags: on the command that runs the balancer, not on `export`. */
export function addAdminFlags(command: Command): Command {
  return command
    .option('--admin-port <port>', 'serve the admin API v1 and /metrics on this port')
    .option('--admin-host <host>', 'address of the admin listener (default: 127.0.0.1)')
    .option(
      '--admin-token <token>',
      `bearer token every admin request needs (better: ${TOKEN_VARIABLE}); required off loopback`,
    );
}

/** `--admin-*` and the token variable over the config's `admin` (flag beats env, env beats file). */
export function applyAdminFlags(config: BalancerConfig, flags: ConfigFlags): BalancerConfig {
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
  return config;
}
