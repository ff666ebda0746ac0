import { existsSync, statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import type { LevelWithSilent, Logger } from 'pino';
import {
  InvalidOptionError,
  checkBoolean,
  checkBytes,
  checkDuration,
  checkInteger,
  checkKnownKeys,
  checkOneOf,
  checkPort,
  checkString,
  parseBytes,
} from '@koa-fleet/errors';
import type { FleetPlugin } from './plugin.js';
import type { AppSource } from './app-source.js';
import { isKoaLike } from './app-source.js';

/** Options of startFleet(). Durations take ms or text ('10s'); sizes take bytes or text ('512mb'). */
export interface FleetOptions {
  /** Path of the module exporting a Koa app or a factory `(worker) => app` (relative to cwd). */
  entry?: string;
  /**
   * Instead of `entry`: the app (or factory) itself. The calling script then runs in every worker
   * too, as in the classic `cluster.isPrimary` pattern; there startFleet serves the app and
   * returns undefined.
   */
  app?: AppSource;
  /** Number of worker slots; default os.availableParallelism(). */
  workers?: number;
  /** Shared port, or the first port in per-worker mode; default 3000. */
  port?: number;
  /** Address to listen on; default '0.0.0.0'. */
  host?: string;
  /** Worker i listens on port + i (stable across restarts), for an external balancer. */
  perWorkerPorts?: boolean;
  /** How long a draining worker may finish in-flight requests before they are cut; default '10s'. */
  grace?: number | string;
  /** How long responses carry `Connection: close` before idle sockets are closed; default '1s'. */
  drainWindow?: number | string;
  /**
   * How long a worker keeps serving normally after it starts draining, with its lifecycle (and
   * so /readyz) already `draining`, before it stops accepting — time for a Kubernetes endpoint
   * or a balancer's health check to stop routing to it; default 0.
   */
  shutdownDelay?: number | string;
  /** How long a worker may take to listen; default '30s'. */
  startTimeout?: number | string;
  /** Idle keep-alive timeout; default '65s', above the 60 s of common balancers. */
  keepAliveTimeout?: number | string;
  /** Must exceed keepAliveTimeout; default keepAliveTimeout + 1 s. */
  headersTimeout?: number | string;
  /** A worker whose RSS exceeds this is replaced gracefully; at least '32mb'; default none. */
  maxMemory?: number | string;
  /** How often workers report; default '1s'. */
  heartbeatInterval?: number | string;
  /** A ready worker silent this long (blocked event loop) is killed and replaced; default '30s'. */
  heartbeatTimeout?: number | string;
  /** First restart delay; doubles per crash in the window, with jitter; default '100ms'. */
  restartDelay?: number | string;
  /** Restart delay ceiling; default '30s'. */
  maxRestartDelay?: number | string;
  /** Crashes of one slot within `crashWindow` that make the fleet stop restarting it; default 5. */
  maxCrashes?: number;
  /** default '60s'. */
  crashWindow?: number | string;
  /** Default timeout of IPC requests; default '5s'. */
  ipcTimeout?: number | string;
  /** SIGTERM/SIGINT stop, SIGHUP reloads, and the fleet exits the process when done; default true. */
  handleSignals?: boolean;
  /** Log level of the primary and the workers; default 'info'. */
  logLevel?: LevelWithSilent;
  /** A pino logger for the primary (workers log with their own at `logLevel`). */
  logger?: Logger;
  /** Primary-side features of other packages (session store, fleet health). */
  plugins?: FleetPlugin[];
}

export interface NormalizedOptions {
  /** The entry module, or in app mode the script that calls startFleet (forked as the worker). */
  entry: string;
  app: AppSource | undefined;
  workers: number;
  port: number;
  host: string;
  perWorkerPorts: boolean;
  grace: number;
  drainWindow: number;
  shutdownDelay: number;
  startTimeout: number;
  keepAliveTimeout: number;
  headersTimeout: number;
  maxMemory: number | undefined;
  heartbeatInterval: number;
  heartbeatTimeout: number;
  restartDelay: number;
  maxRestartDelay: number;
  maxCrashes: number;
  crashWindow: number;
  ipcTimeout: number;
  handleSignals: boolean;
  logLevel: LevelWithSilent;
  logger: Logger | undefined;
  plugins: FleetPlugin[];
}

const KNOWN = [
  'entry',
  'app',
  'workers',
  'port',
  'host',
  'perWorkerPorts',
  'grace',
  'drainWindow',
  'shutdownDelay',
  'startTimeout',
  'keepAliveTimeout',
  'headersTimeout',
  'maxMemory',
  'heartbeatInterval',
  'heartbeatTimeout',
  'restartDelay',
  'maxRestartDelay',
  'maxCrashes',
  'crashWindow',
  'ipcTimeout',
  'handleSignals',
  'logLevel',
  'logger',
  'plugins',
] as const;

/**
 * The defaults, in one place: normalizeOptions applies them and the CLI's --help shows them.
 * `workers` defaults to os.availableParallelism(), described by WORKERS_DEFAULT.
 */
export const DEFAULTS = {
  port: 3000,
  host: '0.0.0.0',
  grace: '10s',
  drainWindow: '1s',
  shutdownDelay: 0,
  startTimeout: '30s',
  keepAliveTimeout: '65s',
  heartbeatInterval: '1s',
  heartbeatTimeout: '30s',
  restartDelay: '100ms',
  maxRestartDelay: '30s',
  maxCrashes: 5,
  crashWindow: '60s',
  ipcTimeout: '5s',
  logLevel: 'info',
} as const;

export const WORKERS_DEFAULT = 'available cores';

/**
 * The smallest maxMemory accepted: a bare Node process already holds about this much RSS, so a
 * lower limit would replace every worker as soon as it starts.
 */
export const MIN_MAX_MEMORY = '32mb';

const LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** Validates every option once, before anything forks; the error names the option. */
export function normalizeOptions(options: FleetOptions): NormalizedOptions {
  if (typeof options !== 'object' || options === null) {
    throw new InvalidOptionError('options', 'an object', options);
  }
  checkKnownKeys('', options, KNOWN);
  const o = options as Partial<Record<(typeof KNOWN)[number], unknown>>;
  const { entry, app } = checkEntryOrApp(o.entry, o.app);
  const workers = checkInteger('workers', o.workers ?? availableParallelism(), {
    min: 1,
    max: 1024,
  });
  const port = checkPort('port', o.port ?? DEFAULTS.port);
  const perWorkerPorts = checkBoolean('perWorkerPorts', o.perWorkerPorts ?? false);
  if (perWorkerPorts && port === 0) {
    throw new InvalidOptionError('port', 'a fixed port (not 0) with per-worker ports', port);
  }
  if (perWorkerPorts && port + workers - 1 > 65_535) {
    throw new InvalidOptionError(
      'port',
      `at most ${65_536 - workers} for ${workers} per-worker ports`,
      port,
    );
  }
  const keepAliveTimeout = checkDuration(
    'keepAliveTimeout',
    o.keepAliveTimeout ?? DEFAULTS.keepAliveTimeout,
  );
  const headersTimeout = checkDuration(
    'headersTimeout',
    o.headersTimeout ?? keepAliveTimeout + 1000,
  );
  if (headersTimeout <= keepAliveTimeout) {
    throw new InvalidOptionError(
      'headersTimeout',
      `more than keepAliveTimeout (${keepAliveTimeout} ms)`,
      o.headersTimeout,
    );
  }
  const heartbeatInterval = checkDuration(
    'heartbeatInterval',
    o.heartbeatInterval ?? DEFAULTS.heartbeatInterval,
    {
      min: 10,
    },
  );
  const heartbeatTimeout = checkDuration(
    'heartbeatTimeout',
    o.heartbeatTimeout ?? DEFAULTS.heartbeatTimeout,
    {
      min: heartbeatInterval * 2,
    },
  );
  const restartDelay = checkDuration('restartDelay', o.restartDelay ?? DEFAULTS.restartDelay);
  const maxRestartDelay = checkDuration(
    'maxRestartDelay',
    o.maxRestartDelay ?? DEFAULTS.maxRestartDelay,
    {
      min: restartDelay,
    },
  );
  const plugins = o.plugins ?? [];
  if (!Array.isArray(plugins)) throw new InvalidOptionError('plugins', 'an array', plugins);
  plugins.forEach((plugin: unknown, i) => checkPlugin(`plugins[${i}]`, plugin));
  const logger = o.logger;
  if (logger !== undefined && typeof (logger as Logger | null)?.child !== 'function') {
    throw new InvalidOptionError('logger', 'a pino logger', logger);
  }
  return {
    entry,
    app,
    workers,
    port,
    host: checkString('host', o.host ?? DEFAULTS.host),
    perWorkerPorts,
    grace: checkDuration('grace', o.grace ?? DEFAULTS.grace),
    drainWindow: checkDuration('drainWindow', o.drainWindow ?? DEFAULTS.drainWindow),
    shutdownDelay: checkDuration('shutdownDelay', o.shutdownDelay ?? DEFAULTS.shutdownDelay),
    startTimeout: checkDuration('startTimeout', o.startTimeout ?? DEFAULTS.startTimeout, {
      min: 1,
    }),
    keepAliveTimeout,
    headersTimeout,
    maxMemory: o.maxMemory === undefined ? undefined : checkMaxMemory(o.maxMemory),
    heartbeatInterval,
    heartbeatTimeout,
    restartDelay,
    maxRestartDelay,
    maxCrashes: checkInteger('maxCrashes', o.maxCrashes ?? DEFAULTS.maxCrashes, { min: 1 }),
    crashWindow: checkDuration('crashWindow', o.crashWindow ?? DEFAULTS.crashWindow, { min: 1 }),
    ipcTimeout: checkDuration('ipcTimeout', o.ipcTimeout ?? DEFAULTS.ipcTimeout, { min: 1 }),
    handleSignals: checkBoolean('handleSignals', o.handleSignals ?? true),
    logLevel: checkOneOf('logLevel', o.logLevel ?? DEFAULTS.logLevel, LEVELS),
    logger: logger as Logger | undefined,
    plugins: plugins as FleetPlugin[],
  };
}

function checkMaxMemory(value: unknown): number {
  const bytes = checkBytes('maxMemory', value, { min: 1 });
  if (bytes < (parseBytes(MIN_MAX_MEMORY) ?? 0)) {
    throw new InvalidOptionError(
      'maxMemory',
      `at least ${MIN_MAX_MEMORY}, the RSS a bare Node process already needs`,
      value,
    );
  }
  return bytes;
}

function checkPlugin(option: string, plugin: unknown): void {
  const p = plugin as Partial<FleetPlugin> | null;
  if (
    typeof p !== 'object' ||
    p === null ||
    typeof p.name !== 'string' ||
    typeof p.setup !== 'function'
  ) {
    throw new InvalidOptionError(option, 'a plugin { name: string, setup(primary) }', plugin);
  }
}

/** Exactly one of `entry` (a module path) and `app` (forks the calling script). */
function checkEntryOrApp(
  entry: unknown,
  app: unknown,
): { entry: string; app: AppSource | undefined } {
  if (entry !== undefined && app !== undefined) {
    throw new InvalidOptionError('app', 'left out when "entry" is given (use one of them)', 'both');
  }
  if (app !== undefined) {
    if (!isKoaLike(app) && typeof app !== 'function') {
      throw new InvalidOptionError('app', 'a Koa app or a factory (worker) => app', app);
    }
    return {
      entry: checkFile('app', process.argv[1], 'used from a script run by node (process.argv[1])'),
      app: app as AppSource,
    };
  }
  if (entry === undefined)
    throw new InvalidOptionError('entry', 'a module path (or give "app")', entry);
  return {
    entry: checkFile('entry', checkString('entry', entry), 'the path of an existing module file'),
    app: undefined,
  };
}

function checkFile(option: string, path: string | undefined, expected: string): string {
  const absolute = path === undefined ? undefined : resolve(path);
  if (absolute === undefined || !existsSync(absolute) || !statSync(absolute).isFile()) {
    throw new InvalidOptionError(option, expected, path);
  }
  return absolute;
}
