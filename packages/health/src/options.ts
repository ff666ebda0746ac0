import { Registry } from 'prom-client';
import {
  checkBoolean,
  checkDuration,
  checkKnownKeys,
  checkMethods,
  InvalidOptionError,
} from '@koa-fleet/errors';
import {
  resolveExposureOptions,
  type ExposeDetails,
  type ResolvedExposureOptions,
} from './exposure-options.js';
import type { Lifecycle } from '@koa-fleet/contracts';
import type { HealthWorkerIpc } from './fleet-types.js';
import type { HealthCheck } from './health-check.js';
import { resolveChecks, type ResolvedCheck } from './internal/checks-options.js';
import { checkRegistry } from './metrics/check-registry.js';
import {
  resolveMetricsOptions,
  type MetricsOptions,
  type ResolvedMetricsOptions,
} from './metrics/metrics-options.js';
import { checkLifecycle } from './probe-state.js';
import { resolvePaths, type HealthPaths, type ResolvedPaths } from './routes/paths-options.js';
import { resolveShutdownOptions, type ResolvedShutdownOptions } from './shutdown-options.js';

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
  fleet?: HealthWorkerIpc;
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

export interface ResolvedHealthOptions {
  paths: ResolvedPaths;
  checks: ResolvedCheck[];
  lifecycle: Lifecycle | undefined;
  startReady: boolean;
  fleet: HealthWorkerIpc | undefined;
  fleetTimeoutMs: number;
  registry: Registry;
  /** `undefined` when metrics are off. */
  metrics: ResolvedMetricsOptions | undefined;
  exposure: ResolvedExposureOptions;
  shutdown: ResolvedShutdownOptions;
}

const KEYS = Object.keys({
  paths: true,
  checks: true,
  checkTimeout: true,
  checkInterval: true,
  lifecycle: true,
  startReady: true,
  fleet: true,
  fleetTimeout: true,
  registry: true,
  metrics: true,
  token: true,
  exposeDetails: true,
  trustProxy: true,
  shutdownDelay: true,
  shutdownSignals: true,
  onShutdown: true,
} satisfies Record<keyof HealthOptions, true>);

/**
 * Validates every option once, at construction, naming the option that is wrong. Each feature
 * resolves its own options in its module; this composes them.
 */
export function resolveOptions(input: HealthOptions): ResolvedHealthOptions {
  if (typeof input !== 'object' || input === null) {
    throw new InvalidOptionError('options', 'an object', input);
  }
  checkKnownKeys('', input, KEYS);
  const lifecycle =
    input.lifecycle === undefined ? undefined : checkLifecycle('lifecycle', input.lifecycle);
  const exposure = resolveExposureOptions(input);
  return {
    paths: resolvePaths(input.paths),
    checks: resolveChecks(input),
    lifecycle,
    startReady: checkBoolean('startReady', input.startReady ?? true),
    fleet:
      input.fleet === undefined
        ? undefined
        : checkMethods<HealthWorkerIpc>(
            'fleet',
            input.fleet,
            ['request', 'handle'],
            "a worker's IPC",
          ),
    fleetTimeoutMs: checkDuration('fleetTimeout', input.fleetTimeout ?? 3_000, { min: 1 }),
    registry:
      input.registry === undefined
        ? new Registry()
        : checkRegistry('registry', input.registry, ['registerMetric', 'getMetricsAsJSON']),
    metrics: resolveMetricsOptions(input.metrics),
    exposure,
    shutdown: resolveShutdownOptions(input, { supervised: lifecycle !== undefined }),
  };
}
