import { Argument, type Command } from 'commander';
import { InvalidOptionError } from '@koa-fleet/errors';
import { exportHaproxyConfig } from '../../export/haproxy-config.js';
import { exportNginxConfig } from '../../export/nginx-config.js';
import type { ExportOptions } from '../../export/export-options.js';
import type { BalancerConfig } from '../../options.js';
import { addConfigFlags, configFrom, fail, type ConfigFlags } from './config-flags.js';

const EXPORTERS = {
  nginx: exportNginxConfig,
  haproxy: exportHaproxyConfig,
} satisfies Record<string, (config: BalancerConfig, options: ExportOptions) => string>;

type Engine = keyof typeof EXPORTERS;

interface ExportFlags extends ConfigFlags {
  full?: boolean;
  name?: string;
}

/**
 * `koa-fleet-balancer export nginx|haproxy [flags]`: the config the same flags would run,
 * checked as the balancer checks it (a bad one exits 2 with the same message), printed as the
 * engine's config on stdout.
 */
export function addExportCommand(program: Command): void {
  const command = program
    .command('export')
    .description("print the balancer's config as nginx's or HAProxy's, on stdout")
    .addArgument(new Argument('<engine>', 'nginx or haproxy').choices(Object.keys(EXPORTERS)));
  addConfigFlags(command)
    .option('--full', 'a whole file the engine runs, not a snippet for an existing installation')
    .option(
      '--name <name>',
      'the upstream or backend name, prefix of its variables (default: koa_fleet)',
    )
    .addHelpText(
      'after',
      `
What the engine cannot express as the balancer does is listed in # comments at the top.

Exit codes: 0 printed, 2 a bad flag or config.`,
    )
    .action(async (engine: Engine, flags: ExportFlags) => {
      try {
        const config = await configFrom(flags);
        process.stdout.write(EXPORTERS[engine](config, { full: flags.full, name: flags.name }));
      } catch (error) {
        fail(flagNamed(error, flags), flags, 2);
      }
    });
}

/** `--name`'s error names the flag, as every other flag's does. */
function flagNamed(error: unknown, flags: ExportFlags): unknown {
  if (error instanceof InvalidOptionError && error.option === 'name') {
    return new InvalidOptionError('--name', error.expected, flags.name);
  }
  return error;
}
