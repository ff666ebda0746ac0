import { FleetError } from '@koa-fleet/errors';
import { plural } from './internal/shared/plural.js';

/** The entry module could not be imported (syntax error, missing file, throwing top level). */
export class EntryLoadError extends FleetError {
  constructor(entry: string, reason: string, options?: ErrorOptions) {
    super('KF_ENTRY_LOAD', `could not load entry ${entry}: ${reason}`, options);
  }
}

/** The entry module loaded but exports neither a Koa app nor a factory returning one. */
export class EntryExportError extends FleetError {
  /** `what` is `entry <path>` or `option "app"`. */
  constructor(what: string, got: string) {
    const how = what.startsWith('entry')
      ? 'export a Koa app or a factory (worker) => app as default export or module.exports'
      : 'be a Koa app or a factory (worker) => app';
    super('KF_ENTRY_EXPORT', `${what} must ${how}, got ${got}`);
  }
}

/** A worker did not report ready (listening) within `startTimeout`. */
export class WorkerStartTimeoutError extends FleetError {
  constructor(workerId: number, timeoutMs: number) {
    super(
      'KF_WORKER_START_TIMEOUT',
      `worker ${workerId} did not start listening within ${timeoutMs} ms (option "startTimeout")`,
    );
  }
}

/** The port (or one of the per-worker ports) is held by another process. */
export class PortInUseError extends FleetError {
  constructor(address: string) {
    super('KF_PORT_IN_USE', `cannot listen on ${address}: the address is already in use`);
  }
}

/** A worker exited before it became ready; the message carries its last words. */
export class WorkerStartError extends FleetError {
  constructor(workerId: number, reason: string) {
    super('KF_WORKER_START', `worker ${workerId} failed to start: ${reason}`);
  }
}

/** A slot crashed `maxCrashes` times within `crashWindow`, so it is no longer restarted. */
export class CrashLoopError extends FleetError {
  constructor(workerId: number, crashes: number, windowMs: number, lastReason: string) {
    super(
      'KF_CRASH_LOOP',
      `worker ${workerId} crashed ${plural(crashes, 'time')} within ${windowMs} ms; not restarting it (last: ${lastReason})`,
    );
  }
}

/**
 * A slot's fresh workers were over `maxMemory` again and again: the limit is below what the app
 * needs, and replacing forever would only churn. The slot keeps its worker and stops replacing.
 */
export class MemoryLoopError extends FleetError {
  constructor(workerId: number, replacements: number, windowMs: number, limit: number) {
    super(
      'KF_MEMORY_LOOP',
      `worker ${workerId} was replaced for maxMemory (${limit} bytes) ${plural(replacements, 'time')} within ${windowMs} ms; not replacing it again until that window has passed — the limit is below what the app needs`,
    );
  }
}

/** A replacement did not become ready, so the rolling reload stopped; old workers keep serving. */
export class ReloadAbortedError extends FleetError {
  constructor(workerId: number, reason: string, options?: ErrorOptions) {
    super(
      'KF_RELOAD_ABORTED',
      `reload aborted at worker ${workerId}: ${reason}; the previous workers keep serving`,
      options,
    );
  }
}

/** The fleet is stopping or stopped, so it cannot reload or start again. */
export class FleetStoppedError extends FleetError {
  constructor(action: string) {
    super('KF_FLEET_STOPPED', `cannot ${action}: the fleet is stopping or stopped`);
  }
}

/**
 * koa-fleet is used where it cannot work: startFleet() outside the primary, startFleet({ entry })
 * inside a fleet worker, the worker bootstrap run by hand.
 */
export class FleetUsageError extends FleetError {
  constructor(message: string) {
    super('KF_FLEET_USAGE', message);
  }
}

/** A fleet plugin's `setup` threw something that is not an Error (which is kept as `cause`). */
export class PluginSetupError extends FleetError {
  readonly plugin: string;

  constructor(plugin: string, thrown: unknown) {
    super('KF_FLEET_PLUGIN', `fleet plugin "${plugin}" failed to set up: ${String(thrown)}`, {
      cause: thrown,
    });
    this.plugin = plugin;
  }
}

/** The built worker bootstrap is not there (running from src/, or the package is not built). */
export class WorkerExecMissingError extends FleetError {
  readonly path: string;

  constructor(path: string) {
    super(
      'KF_WORKER_EXEC_MISSING',
      `worker bootstrap ${path} is missing: build @koa-fleet/cluster first`,
    );
    this.path = path;
  }
}

/** An IPC request got no answer in time. */
export class IpcTimeoutError extends FleetError {
  constructor(namespace: string, type: string, timeoutMs: number) {
    super('KF_IPC_TIMEOUT', `IPC request ${namespace}/${type} got no reply within ${timeoutMs} ms`);
  }
}

/** Nobody on the other side handles the namespace. */
export class IpcNoHandlerError extends FleetError {
  constructor(namespace: string) {
    super('KF_IPC_NO_HANDLER', `no IPC handler for namespace "${namespace}"`);
  }
}

/** A namespace handled by a map of types got a request of a type the map does not list. */
export class IpcUnknownTypeError extends FleetError {
  readonly namespace: string;
  readonly type: string;

  constructor(namespace: string, type: string) {
    super('KF_IPC_UNKNOWN_TYPE', `IPC namespace "${namespace}" has no handler for type "${type}"`);
    this.namespace = namespace;
    this.type = type;
  }
}

/** The handler on the other side threw; the message is the remote error's. */
export class IpcRemoteError extends FleetError {
  readonly remoteCode: string | undefined;

  constructor(message: string, remoteCode?: string) {
    super('KF_IPC_REMOTE', message);
    this.remoteCode = remoteCode;
  }
}

/** The IPC channel closed (worker exited, primary gone) before the reply came. */
export class IpcClosedError extends FleetError {
  constructor(namespace: string, type: string) {
    super('KF_IPC_CLOSED', `IPC channel closed before ${namespace}/${type} was answered`);
  }
}

/** The CLI's --pid-file cannot be used: its directory is missing or unwritable, or a live primary holds it. */
export class PidFileError extends FleetError {
  readonly pidFile: string;
  /** Why, without the path of the pid file, e.g. `directory /x does not exist`. */
  readonly reason: string;

  constructor(pidFile: string, reason: string) {
    super('KF_PID_FILE', `pid file ${pidFile}: ${reason}`);
    this.pidFile = pidFile;
    this.reason = reason;
  }
}

/**
 * The primary closed its control socket before it answered a command (`koa-fleet reload`/`stop`,
 * a `FleetControl` call), or ended a subscription (the fleet stopped, the primary is gone).
 */
export class ControlSocketClosedError extends FleetError {
  constructor(message = 'the primary closed the control socket without answering') {
    super('KF_FLEET_CONTROL_CLOSED', message);
  }
}

/** The primary cannot listen on its control socket (option `controlSocket`, the CLI's `--pid-file`). */
export class ControlListenError extends FleetError {
  readonly path: string;

  constructor(path: string, reason: string, options?: ErrorOptions) {
    super('KF_FLEET_CONTROL_LISTEN', `cannot listen on control socket ${path}: ${reason}`, options);
    this.path = path;
  }
}

/** A control client could not reach the primary's socket (no such socket, nobody listening). */
export class ControlConnectError extends FleetError {
  readonly path: string;

  constructor(path: string, reason: string, options?: ErrorOptions) {
    super(
      'KF_FLEET_CONTROL_CONNECT',
      `cannot connect to control socket ${path}: ${reason} (is the fleet running?)`,
      options,
    );
    this.path = path;
  }
}

/** A line sent to the control socket is not a request: not JSON, not an object, a bad field. */
export class ControlRequestError extends FleetError {
  constructor(reason: string) {
    super('KF_FLEET_CONTROL_REQUEST', `bad control request: ${reason}`);
  }
}

/** A control request names a command the primary does not know. */
export class ControlCommandError extends FleetError {
  constructor(command: unknown) {
    super(
      'KF_FLEET_CONTROL_COMMAND',
      `unknown control command ${JSON.stringify(command)} (known: reload, stop, stats, restart-worker, subscribe)`,
    );
  }
}

/** A subscriber and the primary speak different versions of the subscription protocol. */
export class ControlVersionError extends FleetError {
  constructor(wanted: unknown, spoken: number) {
    super(
      'KF_FLEET_CONTROL_VERSION',
      `control protocol version ${JSON.stringify(wanted)} is not spoken here; this side speaks version ${spoken} ({"command":"subscribe","version":${spoken}})`,
    );
  }
}

/** The primary sent a line that is not the control protocol (a client-side check). */
export class ControlProtocolError extends FleetError {
  constructor(reason: string) {
    super(
      'KF_FLEET_CONTROL_PROTOCOL',
      `the primary's control socket broke the protocol: ${reason}`,
    );
  }
}

/** The primary answered a control command with an error; `remoteCode` is that error's code. */
export class ControlRemoteError extends FleetError {
  readonly remoteCode: string;

  constructor(message: string, remoteCode: string) {
    super('KF_FLEET_CONTROL_REMOTE', message);
    this.remoteCode = remoteCode;
  }
}

/** A control command failed with an error that has no code of its own (a bug: please report it). */
export class ControlCommandFailedError extends FleetError {
  constructor(command: string, cause: unknown) {
    super(
      'KF_FLEET_CONTROL_FAILED',
      `control command ${command} failed: ${cause instanceof Error ? cause.message : String(cause)}`,
      { cause },
    );
  }
}

/** `restartWorker(slot)`: there is no such slot. */
export class WorkerSlotError extends FleetError {
  readonly slot: unknown;

  constructor(slot: unknown, slots: number) {
    super(
      'KF_WORKER_SLOT',
      `slot must be an integer from 0 to ${slots - 1} (the fleet has ${plural(slots, 'slot')}), got ${JSON.stringify(slot) ?? String(slot)}`,
    );
    this.slot = slot;
  }
}
