import type { Context } from 'koa';
import { Registry } from 'prom-client';
import {
  checkBoolean,
  checkDuration,
  checkFunction,
  checkKnownKeys,
  checkNumber,
  checkOneOf,
  checkString,
  InvalidOptionError,
} from '@koa-fleet/errors';
import type { Lifecycle, WorkerIpc } from './fleet-types.js';
import type { HealthCheck } from './health-check.js';

export type ExposeDetails = 'loopback' | 'token' | 'always' | 'never';

export interface HealthPaths {
  /** Default '/livez'. `false` turns the endpoint off. */
  live?: string | false;
  /** Default '/readyz'. */
  ready?: string | false;
  /** Default '/healthz'. */
  health?: string | false;
  /** Default '/healthz/fleet'; answered only with a `fleet`. */
  fleet?: string | false;
  /** Default '/metrics'; answered only when metrics are on. */
  metrics?: string | false;
}

export interface MetricsOptions {
  /** Metric name prefix. Default 'koa_fleet_'. */
  prefix?: string;
  /** Request duration histogram buckets, in seconds. */
  buckets?: number[];
  /** The `route` label; default the router's matched pattern (`ctx._matchedRoute`) or '*'. */
  route?: (ctx: Context) => string | undefined;
}

export interface HealthOptions {
  paths?: HealthPaths;
  checks?: HealthCheck[];
  /** Default timeout of a check. Default '800ms', below Kubernetes' 1 s probe timeout. */
  checkTimeout?: number | string;
  /** Default time a check result is reused. Default '1s'. */
  checkInterval?: number | string;
  /** The supervisor's lifecycle (a WorkerContext's `lifecycle`); optional. */
  lifecycle?: Lifecycle;
  /** Without a lifecycle: start ready (default), or `false` to wait for `probe.markReady()`. */
  startReady?: boolean;
  /** The supervisor's IPC (a WorkerContext's `ipc`): enables the fleet view and fleet metrics. */
  fleet?: WorkerIpc;
  /** How long to wait for the primary's fleet answers. Default '3s'. */
  fleetTimeout?: number | string;
  /** A prom-client Registry to register on (share it with other packages). Default: a new one. */
  registry?: Registry;
  /** Request and process metrics on /metrics. Default true. */
  metrics?: boolean | MetricsOptions;
  /** Bearer token that unlocks details for non-loopback callers. */
  token?: string;
  /** Who sees check outputs. Default 'loopback' (loopback callers, or any caller with the token). */
  exposeDetails?: ExposeDetails;
  /** Judge loopback by the address the proxy in front appended to X-Forwarded-For. Default false. */
  trustProxy?: boolean;
  /** After a shutdown signal: how long /readyz says 503 while still serving. Default '5s'. */
  shutdownDelay?: number | string;
  /** Default ['SIGTERM'] alone, [] with a lifecycle (the supervisor owns signals then). */
  shutdownSignals?: NodeJS.Signals[];
  /**
   * Called after the delay (close the server here). Without it, the signal is re-raised once the
   * delay is over, so the process ends as it would have without this package.
   */
  onShutdown?: (signal: NodeJS.Signals | undefined) => void | Promise<void>;
}

export interface ResolvedPaths {
  live: string | false;
  ready: string | false;
  health: string | false;
  fleet: string | false;
  metrics: string | false;
}

export interface ResolvedMetrics {
  prefix: string;
  buckets: number[];
  route: (ctx: Context) => string | undefined;
}

/** A check with its timeout and cache interval settled (its own, else the middleware's). */
export interface ResolvedCheck {
  check: HealthCheck;
  timeoutMs: number;
  intervalMs: number;
}

export interface ResolvedOptions {
  paths: ResolvedPaths;
  checks: ResolvedCheck[];
  lifecycle: Lifecycle | undefined;
  startReady: boolean;
  fleet: WorkerIpc | undefined;
  fleetTimeoutMs: number;
  registry: Registry;
  metrics: ResolvedMetrics | undefined;
  token: string | undefined;
  exposeDetails: ExposeDetails;
  trustProxy: boolean;
  shutdownDelayMs: number;
  shutdownSignals: NodeJS.Signals[];
  onShutdown: HealthOptions['onShutdown'];
}

const KNOWN = [
  'paths',
  'checks',
  'checkTimeout',
  'checkInterval',
  'lifecycle',
  'startReady',
  'fleet',
  'fleetTimeout',
  'registry',
  'metrics',
  'token',
  'exposeDetails',
  'trustProxy',
  'shutdownDelay',
  'shutdownSignals',
  'onShutdown',
] as const;

const DEFAULT_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** Validates every option once, at construction, naming the option that is wrong. */
export function resolveOptions(options: HealthOptions): ResolvedOptions {
  if (typeof options !== 'object' || options === null) {
    throw new InvalidOptionError('options', 'an object', options);
  }
  checkKnownKeys('', options, KNOWN);
  const lifecycle = options.lifecycle === undefined ? undefined : checkLifecycle(options.lifecycle);
  const exposeDetails = checkOneOf('exposeDetails', options.exposeDetails ?? 'loopback', [
    'loopback',
    'token',
    'always',
    'never',
  ] as const);
  const token = options.token === undefined ? undefined : checkString('token', options.token);
  if (exposeDetails === 'token' && token === undefined) {
    throw new InvalidOptionError(
      'token',
      'a non-empty string when exposeDetails is "token"',
      token,
    );
  }
  return {
    paths: resolvePaths(options.paths ?? {}),
    checks: resolveChecks(
      options.checks ?? [],
      checkDuration('checkTimeout', options.checkTimeout ?? 800, { min: 1 }),
      checkDuration('checkInterval', options.checkInterval ?? 1_000),
    ),
    lifecycle,
    startReady: checkBoolean('startReady', options.startReady ?? true),
    fleet: options.fleet === undefined ? undefined : checkFleet(options.fleet),
    fleetTimeoutMs: checkDuration('fleetTimeout', options.fleetTimeout ?? 3_000, { min: 1 }),
    registry: options.registry === undefined ? new Registry() : checkRegistry(options.registry),
    metrics: resolveMetrics(options.metrics ?? true),
    token,
    exposeDetails,
    trustProxy: checkBoolean('trustProxy', options.trustProxy ?? false),
    shutdownDelayMs: checkDuration('shutdownDelay', options.shutdownDelay ?? 5_000),
    shutdownSignals: resolveSignals(options.shutdownSignals ?? (lifecycle ? [] : ['SIGTERM'])),
    onShutdown:
      options.onShutdown === undefined
        ? undefined
        : checkFunction<NonNullable<HealthOptions['onShutdown']>>('onShutdown', options.onShutdown),
  };
}

function resolvePaths(paths: HealthPaths): ResolvedPaths {
  checkKnownKeys('paths', paths, ['live', 'ready', 'health', 'fleet', 'metrics']);
  const resolved: ResolvedPaths = {
    live: checkPath('paths.live', paths.live ?? '/livez'),
    ready: checkPath('paths.ready', paths.ready ?? '/readyz'),
    health: checkPath('paths.health', paths.health ?? '/healthz'),
    fleet: checkPath('paths.fleet', paths.fleet ?? '/healthz/fleet'),
    metrics: checkPath('paths.metrics', paths.metrics ?? '/metrics'),
  };
  const used = Object.values(resolved).filter((path) => path !== false);
  const duplicate = used.find((path, index) => used.indexOf(path) !== index);
  if (duplicate) throw new InvalidOptionError('paths', 'distinct paths', duplicate);
  return resolved;
}

function checkPath(option: string, value: unknown): string | false {
  if (value === false) return false;
  if (typeof value !== 'string' || !value.startsWith('/')) {
    throw new InvalidOptionError(option, 'a path starting with "/", or false', value);
  }
  return value;
}

function resolveChecks(checks: unknown, timeoutMs: number, intervalMs: number): ResolvedCheck[] {
  if (!Array.isArray(checks)) throw new InvalidOptionError('checks', 'an array of checks', checks);
  const names = new Set<string>();
  return checks.map((check: Partial<HealthCheck> | null, index): ResolvedCheck => {
    const option = `checks[${index}]`;
    if (typeof check !== 'object' || check === null) {
      throw new InvalidOptionError(option, 'a check object', check);
    }
    const name = checkString(`${option}.name`, check.name);
    checkFunction(`${option}.check`, check.check);
    if (names.has(name)) throw new InvalidOptionError(`${option}.name`, 'a unique name', name);
    names.add(name);
    if (check.critical !== undefined) checkBoolean(`${option}.critical`, check.critical);
    return {
      check: check as HealthCheck,
      timeoutMs:
        check.timeout === undefined
          ? timeoutMs
          : checkDuration(`${option}.timeout`, check.timeout, { min: 1 }),
      intervalMs:
        check.interval === undefined
          ? intervalMs
          : checkDuration(`${option}.interval`, check.interval),
    };
  });
}

function resolveMetrics(metrics: boolean | MetricsOptions): ResolvedMetrics | undefined {
  if (metrics === false) return undefined;
  const given = metrics === true ? {} : metrics;
  if (typeof given !== 'object' || given === null) {
    throw new InvalidOptionError('metrics', 'true, false or an object', metrics);
  }
  checkKnownKeys('metrics', given, ['prefix', 'buckets', 'route']);
  const prefix = given.prefix ?? 'koa_fleet_';
  if (typeof prefix !== 'string' || !/^[a-zA-Z_:][a-zA-Z0-9_:]*$/.test(prefix)) {
    throw new InvalidOptionError('metrics.prefix', 'a valid Prometheus name prefix', prefix);
  }
  const buckets = given.buckets ?? DEFAULT_BUCKETS;
  if (!Array.isArray(buckets) || buckets.length === 0) {
    throw new InvalidOptionError('metrics.buckets', 'a non-empty array of seconds', buckets);
  }
  buckets.forEach((bucket, index) => checkNumber(`metrics.buckets[${index}]`, bucket, { min: 0 }));
  const route = given.route ?? matchedRoute;
  checkFunction('metrics.route', route);
  return { prefix, buckets, route };
}

/** koa-router and @koa/router record the matched pattern; raw paths would explode cardinality. */
function matchedRoute(ctx: Context): string | undefined {
  const matched = (ctx as Context & { _matchedRoute?: unknown })._matchedRoute;
  return typeof matched === 'string' ? matched : undefined;
}

function resolveSignals(signals: unknown): NodeJS.Signals[] {
  if (
    !Array.isArray(signals) ||
    !signals.every((s) => typeof s === 'string' && /^SIG[A-Z0-9]+$/.test(s))
  ) {
    throw new InvalidOptionError(
      'shutdownSignals',
      'an array of signal names such as "SIGTERM"',
      signals,
    );
  }
  return signals as NodeJS.Signals[];
}

function checkLifecycle(value: unknown): Lifecycle {
  const lifecycle = value as Partial<Lifecycle> | null;
  if (typeof lifecycle?.onChange !== 'function' || typeof lifecycle.state !== 'string') {
    throw new InvalidOptionError(
      'lifecycle',
      'an object with `state` and `onChange()`',
      typeof value,
    );
  }
  return lifecycle as Lifecycle;
}

function checkFleet(value: unknown): WorkerIpc {
  const ipc = value as Partial<WorkerIpc> | null;
  if (typeof ipc?.request !== 'function' || typeof ipc.handle !== 'function') {
    throw new InvalidOptionError(
      'fleet',
      "a worker's IPC with `request()` and `handle()`",
      typeof value,
    );
  }
  return ipc as WorkerIpc;
}

function checkRegistry(value: unknown): Registry {
  const registry = value as Partial<Registry> | null;
  if (
    typeof registry?.registerMetric !== 'function' ||
    typeof registry.getMetricsAsJSON !== 'function'
  ) {
    throw new InvalidOptionError('registry', 'a prom-client Registry', typeof value);
  }
  return registry as Registry;
}
