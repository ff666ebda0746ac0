import { existsSync, readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { createSecureContext } from 'node:tls';
import type { LevelWithSilent, Logger } from 'pino';
import {
  InvalidOptionError,
  checkBoolean,
  checkBytes,
  checkDuration,
  checkInteger,
  checkKnownKeys,
  checkMethods,
  checkOneOf,
  checkPort,
  checkString,
  parseBytes,
} from '@koa-fleet/errors';
import type { IntegerBounds } from '@koa-fleet/errors';
import type { FleetPlugin } from '@koa-fleet/contracts';
import type { AppSource } from './app-source.js';
import { isKoaLike } from './app-source.js';
import { defaultWorkerCount } from './internal/shared/cgroup-cpu-limit.js';

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
  /**
   * Number of worker slots; default the CPUs the cgroup CPU quota allows, rounded up (a container's
   * or systemd unit's CPU limit), else os.availableParallelism().
   */
  workers?: number;
  /** Shared port, or the first port in per-worker mode; default 3000. */
  port?: number;
  /** Address to listen on; default '0.0.0.0'. */
  host?: string;
  /** Worker i listens on port + i (stable across restarts), for an external balancer. */
  perWorkerPorts?: boolean;
  /**
   * Serve HTTPS: the certificate chain and its private key, PEM files (relative to cwd). Each
   * worker reads them when it starts, so a rolling reload (SIGHUP) puts renewed files in use
   * without dropping a connection. Checked to be a usable pair when the fleet starts.
   */
  https?: HttpsFiles;
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
  /**
   * A unix socket path on which the primary serves the control protocol (reload, stop, stats,
   * restart-worker, subscribe; `@koa-fleet/contracts`' control-socket types); default none. The
   * CLI's `--pid-file` sets it to `<pid-file>.sock`.
   */
  controlSocket?: string;
  /**
   * How long the primary waits for every control-socket subscriber to acknowledge a
   * `worker-draining` event before it tells the worker to drain anyway; default '1s', at most '1m'.
   */
  controlAckTimeout?: number | string;
  /** Log level of the primary and the workers; default 'info'. */
  logLevel?: LevelWithSilent;
  /** A pino logger for the primary (workers log with their own at `logLevel`). */
  logger?: Logger;
  /** Primary-side features of other packages (session store, fleet health). */
  plugins?: FleetPlugin[];
}

/** PEM files of a certificate chain and its key. */
export interface HttpsFiles {
  cert: string;
  key: string;
}

/** The options once resolved: durations and sizes in ms and bytes, every default applied. */
export interface ResolvedFleetOptions {
  /** The entry module, or in app mode the script that calls startFleet (forked as the worker). */
  entry: string;
  app: AppSource | undefined;
  workers: number;
  port: number;
  host: string;
  perWorkerPorts: boolean;
  /** Absolute paths. */
  https: HttpsFiles | undefined;
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
  controlSocket: string | undefined;
  controlAckTimeout: number;
  logLevel: LevelWithSilent;
  logger: Logger | undefined;
  plugins: FleetPlugin[];
}

/** A default the CLI's --help can show. */
type DefaultValue = string | number | boolean;

/** The options resolved before the one being resolved, by name. */
type Earlier = <K extends keyof ResolvedFleetOptions>(option: K) => ResolvedFleetOptions[K];

type Check<T> = (option: string, value: unknown, earlier: Earlier) => T;

/** One option's default and rule. */
interface OptionRule<T, D extends DefaultValue | undefined = DefaultValue | undefined> {
  readonly default: D;
  /** Checks (and parses) the given value; throws InvalidOptionError naming the option. */
  readonly resolve: Check<T>;
}

/** A left-out (or null) option takes the default; without a default, the check sees it as given. */
function rule<T, const D extends DefaultValue | undefined = undefined>(
  check: Check<T>,
  fallback?: D,
): OptionRule<T, D> {
  return {
    default: fallback as D,
    resolve: (option, value, earlier) =>
      check(option, fallback === undefined ? value : (value ?? fallback), earlier),
  };
}

const duration =
  (bounds?: IntegerBounds): Check<number> =>
  (option, value) =>
    checkDuration(option, value, bounds);

const optional =
  <T>(check: Check<T>): Check<T | undefined> =>
  (option, value, earlier) =>
    value === undefined ? undefined : check(option, value, earlier);

/** How --help describes the default of `workers`, computed when it starts (defaultWorkerCount). */
export const WORKERS_DEFAULT = 'the cgroup CPU quota rounded up, else available cores';

/**
 * The smallest maxMemory accepted: a bare Node process already holds about this much RSS, so a
 * lower limit would replace every worker as soon as it starts.
 */
export const MIN_MAX_MEMORY = '32mb';

const LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/**
 * Every option's default and rule, each named once. resolveOptions applies them in this order,
 * so a rule may read the options above it; the CLI's --help shows the defaults (DEFAULTS).
 */
const RULES = {
  app: rule(optional(checkApp)),
  entry: rule(checkEntry),
  workers: rule((option, value) =>
    checkInteger(option, value ?? defaultWorkerCount(), { min: 1, max: 1024 }),
  ),
  port: rule((option, value) => checkPort(option, value), 3000),
  host: rule((option, value) => checkString(option, value), '0.0.0.0'),
  perWorkerPorts: rule(checkPerWorkerPorts, false),
  https: rule(optional(checkHttps)),
  grace: rule(duration(), '10s'),
  drainWindow: rule(duration(), '1s'),
  shutdownDelay: rule(duration(), 0),
  startTimeout: rule(duration({ min: 1 }), '30s'),
  keepAliveTimeout: rule(duration(), '65s'),
  headersTimeout: rule(checkHeadersTimeout),
  maxMemory: rule(optional(checkMaxMemory)),
  heartbeatInterval: rule(duration({ min: 10 }), '1s'),
  heartbeatTimeout: rule(
    (option, value, earlier) =>
      checkDuration(option, value, { min: earlier('heartbeatInterval') * 2 }),
    '30s',
  ),
  restartDelay: rule(duration(), '100ms'),
  maxRestartDelay: rule(
    (option, value, earlier) => checkDuration(option, value, { min: earlier('restartDelay') }),
    '30s',
  ),
  maxCrashes: rule((option, value) => checkInteger(option, value, { min: 1 }), 5),
  crashWindow: rule(duration({ min: 1 }), '60s'),
  ipcTimeout: rule(duration({ min: 1 }), '5s'),
  handleSignals: rule(checkBoolean, true),
  controlSocket: rule(optional((option, value) => resolve(checkString(option, value)))),
  controlAckTimeout: rule(duration({ min: 1, max: 60_000 }), '1s'),
  logLevel: rule((option, value) => checkOneOf(option, value, LEVELS), 'info'),
  logger: rule(
    optional((option, value) => checkMethods<Logger>(option, value, ['child'], 'a pino logger')),
  ),
  plugins: rule(checkPlugins),
} satisfies { readonly [K in keyof FleetOptions]-?: OptionRule<ResolvedFleetOptions[K]> };

const KEYS = Object.keys(RULES) as Array<keyof typeof RULES>;

type WithDefault = {
  [K in keyof typeof RULES]: (typeof RULES)[K]['default'] extends undefined ? never : K;
}[keyof typeof RULES];

/** The defaults, read from RULES: what resolveOptions applies and the CLI's --help shows. */
export const DEFAULTS = Object.fromEntries(
  KEYS.filter((key) => RULES[key].default !== undefined).map((key) => [key, RULES[key].default]),
) as { readonly [K in WithDefault]: (typeof RULES)[K]['default'] };

/** Validates every option once, before anything forks; the error names the option. */
export function resolveOptions(options: FleetOptions): ResolvedFleetOptions {
  if (typeof options !== 'object' || options === null) {
    throw new InvalidOptionError('options', 'an object', options);
  }
  checkKnownKeys('', options, KEYS);
  const given: Partial<Record<keyof FleetOptions, unknown>> = options;
  const resolved = new Map<keyof FleetOptions, unknown>();
  const earlier: Earlier = (option) => resolved.get(option) as ResolvedFleetOptions[typeof option];
  for (const key of KEYS) {
    const { resolve } = RULES[key] as OptionRule<unknown>;
    resolved.set(key, resolve(key, given[key], earlier));
  }
  // Every key of FleetOptions, each by a rule whose type RULES ties to ResolvedFleetOptions.
  return Object.fromEntries(resolved) as unknown as ResolvedFleetOptions;
}

/** Per-worker ports need a fixed first port, and room for every worker's port above it. */
function checkPerWorkerPorts(option: string, value: unknown, earlier: Earlier): boolean {
  const perWorkerPorts = checkBoolean(option, value);
  const port = earlier('port');
  const workers = earlier('workers');
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
  return perWorkerPorts;
}

/** Node drops a keep-alive socket whose next headers take longer, so it must outlast keepAlive. */
function checkHeadersTimeout(option: string, value: unknown, earlier: Earlier): number {
  const keepAliveTimeout = earlier('keepAliveTimeout');
  const headersTimeout = checkDuration(option, value ?? keepAliveTimeout + 1000);
  if (headersTimeout <= keepAliveTimeout) {
    throw new InvalidOptionError(
      option,
      `more than keepAliveTimeout (${keepAliveTimeout} ms)`,
      value,
    );
  }
  return headersTimeout;
}

function checkMaxMemory(option: string, value: unknown): number {
  const bytes = checkBytes(option, value, { min: 1 });
  if (bytes < (parseBytes(MIN_MAX_MEMORY) ?? 0)) {
    throw new InvalidOptionError(
      option,
      `at least ${MIN_MAX_MEMORY}, the RSS a bare Node process already needs`,
      value,
    );
  }
  return bytes;
}

function checkPlugins(option: string, value: unknown): FleetPlugin[] {
  const plugins = value ?? [];
  if (!Array.isArray(plugins)) throw new InvalidOptionError(option, 'an array', plugins);
  plugins.forEach((plugin: unknown, i) => checkPlugin(`${option}[${i}]`, plugin));
  return plugins as FleetPlugin[];
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

/** A Koa app or a factory; given instead of `entry` (see checkEntry). */
function checkApp(option: string, app: unknown): AppSource {
  if (!isKoaLike(app) && typeof app !== 'function') {
    throw new InvalidOptionError(option, 'a Koa app or a factory (worker) => app', app);
  }
  return app as AppSource;
}

/** Exactly one of `entry` (a module path) and `app`, which forks the calling script instead. */
function checkHttps(option: string, value: unknown): HttpsFiles {
  if (typeof value !== 'object' || value === null) {
    throw new InvalidOptionError(option, 'an object { cert, key } of PEM file paths', value);
  }
  checkKnownKeys(option, value, ['cert', 'key']);
  const given = value as Partial<HttpsFiles>;
  const files = {
    cert: resolve(checkString(`${option}.cert`, given.cert)),
    key: resolve(checkString(`${option}.key`, given.key)),
  };
  let pem: { cert: Buffer; key: Buffer };
  try {
    pem = { cert: readFileSync(files.cert), key: readFileSync(files.key) };
  } catch (error) {
    const { code } = error as NodeJS.ErrnoException;
    const field = code && !existsSync(files.cert) ? 'cert' : 'key';
    throw new InvalidOptionError(`${option}.${field}`, 'a readable PEM file', given[field]);
  }
  try {
    createSecureContext(pem);
  } catch (error) {
    throw new InvalidOptionError(
      `${option}.cert`,
      `a PEM certificate that goes with ${option}.key (${(error as Error).message})`,
      given.cert,
    );
  }
  return files;
}

function checkEntry(option: string, entry: unknown, earlier: Earlier): string {
  if (earlier('app') !== undefined) {
    if (entry !== undefined) {
      throw new InvalidOptionError(
        'app',
        'left out when "entry" is given (use one of them)',
        'both',
      );
    }
    return checkFile('app', process.argv[1], 'used from a script run by node (process.argv[1])');
  }
  if (entry === undefined) {
    throw new InvalidOptionError(option, 'a module path (or give "app")', entry);
  }
  return checkFile(option, checkString(option, entry), 'the path of an existing module file');
}

function checkFile(option: string, path: string | undefined, expected: string): string {
  const absolute = path === undefined ? undefined : resolve(path);
  if (absolute === undefined || !existsSync(absolute) || !statSync(absolute).isFile()) {
    throw new InvalidOptionError(option, expected, path);
  }
  return absolute;
}
