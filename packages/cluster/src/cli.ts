#!/usr/bin/env node
/**
 * koa-fleet start <entry> | reload | stop — the command line over startFleet().
 * Flags have environment equivalents (KOA_FLEET_WORKERS, …); options are validated by the same
 * guards as the API, and a bad value names the flag or variable it came from and exits 2.
 */
import { readFileSync } from 'node:fs';
import { Command, Option } from 'commander';
import { InvalidOptionError } from '@koa-fleet/errors';
import { PidFileError } from './errors.js';
import { startFleet } from './start-fleet.js';
import type { FleetOptions } from './options.js';
import { resolveOptions } from './options.js';
import { sendControl } from './internal/control/control-client.js';
import { controlSocketPath } from '@koa-fleet/contracts';
import { optionSource, userMessage } from './internal/cli/option-source.js';
import { isRunning, readPid, removePidFile, writePidFile } from './internal/cli/pid-file.js';
import { addStartFlags, envVariable, optionsFromFlags } from './internal/cli/start-flags.js';

// dist/cli.js → the package's own package.json, in the repository and once installed.
const { version } = JSON.parse(
  readFileSync(new URL('../package.json', import.meta.url), 'utf8'),
) as { version: string };

const program = new Command('koa-fleet')
  .description('Run a Koa app on every core: crash restart, graceful stop, zero-downtime reload.')
  .version(version, '-V, --version', 'print the version of koa-fleet')
  .showHelpAfterError()
  .exitOverride((error) => process.exit(error.exitCode === 0 ? 0 : 2));

const startCommand = addStartFlags(
  program
    .command('start')
    .description('start a fleet serving <entry> (a module exporting a Koa app or a factory)')
    .argument('<entry>', 'path of the entry module'),
)
  .addOption(
    new Option('--pid-file <file>', 'write the primary pid here (for reload/stop)').env(
      envVariable('pidFile'),
    ),
  )
  .action(start);

program
  .command('reload')
  .description('rolling reload of a running fleet; exits 1 if the reload was aborted')
  .addOption(
    new Option('--pid-file <file>', 'pid file given to start')
      .env(envVariable('pidFile'))
      .makeOptionMandatory(),
  )
  .action(async (options: { pidFile: string }) => control(options.pidFile, 'reload'));

program
  .command('stop')
  .description('graceful stop of a running fleet; waits until it has exited')
  .addOption(
    new Option('--pid-file <file>', 'pid file given to start')
      .env(envVariable('pidFile'))
      .makeOptionMandatory(),
  )
  .action(async (options: { pidFile: string }) => control(options.pidFile, 'stop'));

program.addHelpText(
  'after',
  `
Signals to the primary: SIGTERM/SIGINT stop gracefully (a repeated SIGTERM is ignored, a second
SIGINT kills the workers and exits 130 — the copy of a Ctrl-C that npm/pnpm forward at once is not
a second one); SIGHUP starts a rolling reload.

Exit codes: 0 clean stop, 1 the fleet failed (or reload was aborted), 2 a bad option or pid
file, 130 forced by a second SIGINT.`,
);

void program.parseAsync();

async function start(entry: string, flags: { pidFile?: string }): Promise<void> {
  let options: FleetOptions;
  try {
    options = {
      entry,
      ...optionsFromFlags(startCommand),
      // The fleet serves the control socket (reload, stop, stats, subscribe) next to the pid file.
      ...(flags.pidFile !== undefined && { controlSocket: controlSocketPath(flags.pidFile) }),
    };
    resolveOptions(options); // every usage error before the pid file is written or a fork
  } catch (error) {
    return usageError(error);
  }
  const pidFile = flags.pidFile;
  if (pidFile) {
    try {
      writePidFile(pidFile);
    } catch (error) {
      return usageError(error);
    }
  }
  let fleet;
  try {
    fleet = startFleet(options);
  } catch (error) {
    if (pidFile) removePidFile(pidFile);
    return usageError(error);
  }
  if (pidFile) fleet.on('status', (status) => status === 'stopped' && removePidFile(pidFile));
  // The fleet exits the process itself after a signal or a failure; this covers `koa-fleet stop`
  // (`closed` resolves once its answer is delivered).
  void fleet.closed.then((code) => process.exit(code));
}

async function control(pidFile: string, command: 'reload' | 'stop'): Promise<void> {
  const pid = readPid(pidFile);
  if (pid === undefined || !isRunning(pid)) {
    console.error(`koa-fleet: no running primary named in ${pidFile}`);
    process.exit(1);
  }
  try {
    const reply = await sendControl(controlSocketPath(pidFile), { command });
    if (reply.ok) {
      console.log(command === 'reload' ? `reloaded primary ${pid}` : `stopped primary ${pid}`);
      process.exit('exitCode' in reply ? reply.exitCode : 0);
    }
    console.error(`koa-fleet: ${command} failed: ${reply.message}`);
    process.exit(1);
  } catch (error) {
    // No control socket (started without it, or it is gone): fall back to the signal.
    const signal = command === 'reload' ? 'SIGHUP' : 'SIGTERM';
    try {
      process.kill(pid, signal);
    } catch {
      console.error(`koa-fleet: primary ${pid} is gone (${(error as Error).message})`);
      process.exit(1);
    }
    console.log(
      `sent ${signal} to primary ${pid} (${(error as Error).message}; no result available)`,
    );
  }
}

/** Prints the error in the user's terms and exits: 2 for a bad option or pid file, 1 for anything else. */
function usageError(error: unknown): never {
  const message =
    error instanceof PidFileError
      ? `${pidFileSource(error.pidFile)}: ${error.reason}`
      : userMessage(startCommand, error);
  console.error(`koa-fleet: ${message}`);
  process.exit(error instanceof InvalidOptionError || error instanceof PidFileError ? 2 : 1);
}

/** `--pid-file /x/app.pid`, saying so when the path came from KOA_FLEET_PID_FILE. */
function pidFileSource(pidFile: string): string {
  const source = optionSource(startCommand, 'pidFile');
  return source === envVariable('pidFile')
    ? `--pid-file ${pidFile} (from ${source})`
    : `--pid-file ${pidFile}`;
}
