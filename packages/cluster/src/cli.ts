#!/usr/bin/env node
/**
 * koa-fleet start <entry> | reload | stop — the command line over startFleet().
 * Flags have environment equivalents (KOA_FLEET_WORKERS, …); options are validated by the same
 * guards as the API, so a bad value names the option and exits 2.
 */
import { Command, Option } from 'commander';
import { isFleetError } from '@koa-fleet/errors';
import { startFleet } from './fleet.js';
import type { FleetOptions } from './options.js';
import { sendControl } from './internal/cli/control-client.js';
import { startControlServer } from './internal/cli/control-server.js';
import type { ControlServer } from './internal/cli/control-server.js';
import {
  controlSocketPath,
  isRunning,
  readPid,
  removePidFile,
  writePidFile,
} from './internal/cli/pid-file.js';

const program = new Command('koa-fleet')
  .description('Run a Koa app on every core: crash restart, graceful stop, zero-downtime reload.')
  .showHelpAfterError()
  .exitOverride((error) => process.exit(error.exitCode === 0 ? 0 : 2));

const env = (name: string) => `KOA_FLEET_${name}`;

program
  .command('start')
  .description('start a fleet serving <entry> (a module exporting a Koa app or a factory)')
  .argument('<entry>', 'path of the entry module')
  .addOption(
    new Option('-w, --workers <n>', 'worker count (default: available cores)').env(env('WORKERS')),
  )
  .addOption(
    new Option('-p, --port <port>', 'port, or first port with --per-worker-ports')
      .env(env('PORT'))
      .default('3000'),
  )
  .addOption(
    new Option('-H, --host <host>', 'address to listen on').env(env('HOST')).default('0.0.0.0'),
  )
  .addOption(
    new Option('--per-worker-ports', 'worker i listens on port + i').env(env('PER_WORKER_PORTS')),
  )
  .addOption(
    new Option('--grace <duration>', 'time to finish in-flight requests on stop').env(env('GRACE')),
  )
  .addOption(
    new Option(
      '--drain-window <duration>',
      'time responses say Connection: close before idle sockets close',
    ).env(env('DRAIN_WINDOW')),
  )
  .addOption(
    new Option(
      '--shutdown-delay <duration>',
      'time a draining worker keeps serving (readiness 503) before it stops accepting',
    ).env(env('SHUTDOWN_DELAY')),
  )
  .addOption(
    new Option('--start-timeout <duration>', 'time a worker may take to listen').env(
      env('START_TIMEOUT'),
    ),
  )
  .addOption(
    new Option('--max-memory <size>', 'replace a worker whose RSS exceeds this, e.g. 512mb').env(
      env('MAX_MEMORY'),
    ),
  )
  .addOption(
    new Option('--heartbeat-timeout <duration>', 'kill a worker silent this long').env(
      env('HEARTBEAT_TIMEOUT'),
    ),
  )
  .addOption(
    new Option('--pid-file <file>', 'write the primary pid here (for reload/stop)').env(
      env('PID_FILE'),
    ),
  )
  .addOption(
    new Option('--log-level <level>', 'fatal, error, warn, info, debug, trace or silent').env(
      env('LOG_LEVEL'),
    ),
  )
  .action(start);

program
  .command('reload')
  .description('rolling reload of a running fleet; exits 1 if the reload was aborted')
  .addOption(
    new Option('--pid-file <file>', 'pid file given to start')
      .env(env('PID_FILE'))
      .makeOptionMandatory(),
  )
  .action(async (options: { pidFile: string }) => control(options.pidFile, 'reload'));

program
  .command('stop')
  .description('graceful stop of a running fleet; waits until it has exited')
  .addOption(
    new Option('--pid-file <file>', 'pid file given to start')
      .env(env('PID_FILE'))
      .makeOptionMandatory(),
  )
  .action(async (options: { pidFile: string }) => control(options.pidFile, 'stop'));

program.addHelpText(
  'after',
  `
Signals to the primary: SIGTERM/SIGINT stop gracefully (a repeated SIGTERM is ignored, a second
SIGINT kills the workers and exits 130); SIGHUP starts a rolling reload.`,
);

void program.parseAsync();

interface StartFlags {
  workers?: string;
  port: string;
  host: string;
  perWorkerPorts?: boolean | string;
  grace?: string;
  drainWindow?: string;
  shutdownDelay?: string;
  startTimeout?: string;
  maxMemory?: string;
  heartbeatTimeout?: string;
  pidFile?: string;
  logLevel?: string;
}

async function start(entry: string, flags: StartFlags): Promise<void> {
  const options: FleetOptions = {
    entry,
    port: toNumber(flags.port) as number,
    host: flags.host,
    perWorkerPorts:
      flags.perWorkerPorts !== undefined &&
      flags.perWorkerPorts !== 'false' &&
      flags.perWorkerPorts !== '0',
    ...(flags.workers !== undefined && { workers: toNumber(flags.workers) as number }),
    ...(flags.grace !== undefined && { grace: flags.grace }),
    ...(flags.drainWindow !== undefined && { drainWindow: flags.drainWindow }),
    ...(flags.shutdownDelay !== undefined && { shutdownDelay: flags.shutdownDelay }),
    ...(flags.startTimeout !== undefined && { startTimeout: flags.startTimeout }),
    ...(flags.maxMemory !== undefined && { maxMemory: flags.maxMemory }),
    ...(flags.heartbeatTimeout !== undefined && { heartbeatTimeout: flags.heartbeatTimeout }),
    ...(flags.logLevel !== undefined && { logLevel: flags.logLevel as FleetOptions['logLevel'] }),
  };
  let fleet;
  try {
    fleet = startFleet(options);
  } catch (error) {
    return usageError(error);
  }
  const pidFile = flags.pidFile;
  let controlServer: ControlServer | undefined;
  if (pidFile) {
    try {
      writePidFile(pidFile);
      controlServer = await startControlServer(controlSocketPath(pidFile), fleet, fleet.logger);
    } catch (error) {
      fleet.logger.fatal((error as Error).message);
      await fleet.stop();
      process.exit(1);
    }
    fleet.on('status', (status) => status === 'stopped' && removePidFile(pidFile));
  }
  // The fleet exits the process itself after a signal or a failure; this covers `koa-fleet stop`.
  void fleet.closed.then(async (code) => {
    await controlServer?.idle(); // `koa-fleet stop` is waiting for its answer
    process.exit(code);
  });
}

async function control(pidFile: string, command: 'reload' | 'stop'): Promise<void> {
  const pid = readPid(pidFile);
  if (pid === undefined || !isRunning(pid)) {
    console.error(`koa-fleet: no running primary named in ${pidFile}`);
    process.exit(1);
  }
  try {
    const reply = await sendControl(controlSocketPath(pidFile), command);
    if (reply.ok) {
      console.log(command === 'reload' ? `reloaded primary ${pid}` : `stopped primary ${pid}`);
      process.exit(reply.exitCode ?? 0);
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

function toNumber(value: string): number | string {
  return /^\s*-?\d+(\.\d+)?\s*$/.test(value) ? Number(value) : value;
}

function usageError(error: unknown): never {
  const message = error instanceof Error ? error.message : String(error);
  console.error(`koa-fleet: ${message}`);
  process.exit(isFleetError(error) ? 2 : 1);
}
