import {
  checkDuration,
  checkKnownKeys,
  checkPort,
  checkString,
  InvalidOptionError,
} from '@koa-fleet/errors';
import { resolveAdmin, type AdminOptions, type ResolvedAdmin } from './admin/admin-options.js';
import {
  resolveBackends,
  type BackendConfig,
  type BackendDefaults,
  type ResolvedBackend,
} from './backend.js';
import { resolveFleets, type FleetConfig, type ResolvedFleet } from './discovery/fleet-options.js';
import {
  resolveClientLimits,
  type ClientLimitOptions,
  type ResolvedClientLimits,
} from './edge/client-limits.js';
import {
  resolveHealthCheck,
  type HealthCheckOptions,
  type ResolvedHealthCheck,
} from './health/active-health.js';
import {
  PASSIVE_HEALTH_DEFAULTS,
  resolvePassiveHealth,
  type PassiveHealthOptions,
} from './health/passive-health.js';
import { resolveTls, type ResolvedTls, type TlsOptions } from './edge/tls-certificates.js';
import {
  checkSlowStartStrategy,
  resolveSlowStart,
  type SlowStartOptions,
} from './health/slow-start.js';
import { resolveLogging, type LoggingOptions, type ResolvedLogging } from './logging.js';
import {
  resolveForwarding,
  type ForwardingOptions,
  type ResolvedForwarding,
} from './headers/forwarded-headers.js';
import { resolveRetry, type ResolvedRetry, type RetryOptions } from './proxy/retry-policy.js';
import { resolveTimeouts, type ResolvedTimeouts, type TimeoutOptions } from './proxy/timeouts.js';
import {
  resolveKeepAlive,
  type KeepAliveOptions,
  type ResolvedKeepAlive,
} from './upstream/upstream-pool.js';
import {
  resolveStrategy,
  type ResolvedStrategy,
  type StrategyConfig,
} from './strategies/choose-strategy.js';

/**
 * The balancer's whole configuration, as `createBalancer()` takes it and as a `--config` file
 * holds it. `maxFails`, `failTimeout` and `slowStart` here are every backend's default.
 */
export interface BalancerConfig
  extends PassiveHealthOptions, SlowStartOptions, RetryOptions, ForwardingOptions, LoggingOptions {
  /**
   * The upstream: URLs (`'http://127.0.0.1:3001'`) or BackendConfig objects. May be left out (or
   * empty) when `fleets` give the backends.
   */
  backends?: (string | BackendConfig)[];
  /** `@koa-fleet/cluster` fleets whose workers are backends too, followed over their control socket. */
  fleets?: FleetConfig[];
  /** Default 8080; 0 picks a free port. */
  port?: number;
  /** Default '0.0.0.0'. */
  host?: string;
  /** Default 'round-robin' (smooth weighted, as nginx's default). */
  strategy?: StrategyConfig;
  timeouts?: TimeoutOptions;
  keepAlive?: KeepAliveOptions;
  /** Active checks of every backend (`GET /readyz`); off by default, `true` for the defaults. */
  healthCheck?: boolean | HealthCheckOptions;
  /** What a client may send, and how slowly: header and body sizes, header and request timeouts. */
  client?: ClientLimitOptions;
  /** HTTPS at the edge: certificate and key files, and an optional HTTP→HTTPS redirect port. */
  tls?: TlsOptions;
  /** `Retry-After` of a 503 when no backend is available. Default '1s'. */
  retryAfter?: number | string;
  /**
   * How long `close()` waits for requests in flight before it cuts them, and `removeBackend()`
   * for the backend's. Default '10s'.
   */
  grace?: number | string;
  /** The admin listener (Admin API v1 and `/metrics`); off by default. */
  admin?: AdminOptions;
}

export interface ResolvedBalancerOptions {
  backends: ResolvedBackend[];
  /** Empty: no fleet followed. */
  fleets: ResolvedFleet[];
  /** What a backend added later takes unless its entry says otherwise. */
  backendDefaults: BackendDefaults;
  port: number;
  host: string;
  strategy: ResolvedStrategy;
  retry: ResolvedRetry;
  timeouts: ResolvedTimeouts;
  keepAlive: ResolvedKeepAlive;
  /** undefined: no active checks. */
  healthCheck: ResolvedHealthCheck | undefined;
  client: ResolvedClientLimits;
  /** undefined: plain HTTP. */
  tls: ResolvedTls | undefined;
  forwarding: ResolvedForwarding;
  logging: ResolvedLogging;
  retryAfterSeconds: number;
  graceMs: number;
  /** undefined: no admin listener. */
  admin: ResolvedAdmin | undefined;
}

const CONFIG_KEYS = Object.keys({
  backends: true,
  fleets: true,
  port: true,
  host: true,
  strategy: true,
  maxFails: true,
  failTimeout: true,
  slowStart: true,
  healthCheck: true,
  nextUpstream: true,
  tries: true,
  nextUpstreamTimeout: true,
  retryBodyLimit: true,
  timeouts: true,
  keepAlive: true,
  client: true,
  tls: true,
  trustProxy: true,
  via: true,
  requestId: true,
  logger: true,
  logLevel: true,
  accessLog: true,
  retryAfter: true,
  grace: true,
  admin: true,
} satisfies Record<keyof BalancerConfig, true>);

export const DEFAULT_PORT = 8080;
export const DEFAULT_HOST = '0.0.0.0';

/**
 * Checks the whole config once, before anything listens or connects. Each error is an
 * InvalidOptionError whose `option` is the field's dotted path (`backends[1].weight`); each part
 * is resolved by the module of the feature it configures.
 */
export function resolveOptions(config: BalancerConfig): ResolvedBalancerOptions {
  if (typeof config !== 'object' || config === null || Array.isArray(config)) {
    throw new InvalidOptionError('config', 'an object with backends', config);
  }
  checkKnownKeys('', config, CONFIG_KEYS);
  const backendDefaults: BackendDefaults = {
    health: resolvePassiveHealth('', config, PASSIVE_HEALTH_DEFAULTS),
    slowStartMs: resolveSlowStart('', config, 0),
  };
  const fleets = resolveFleets(config.fleets, backendDefaults);
  // With fleets, the static backends are optional: the fleets' workers may be all of them.
  const noBackends =
    config.backends === undefined ||
    (Array.isArray(config.backends) && config.backends.length === 0);
  const backends =
    fleets.length > 0 && noBackends ? [] : resolveBackends(config.backends, backendDefaults);
  const strategy = resolveStrategy(config.strategy ?? 'round-robin');
  checkSlowStartStrategy(
    strategy.name,
    backends.map((backend) => backend.slowStartMs),
    (index) => slowStartGiven(config, index),
  );
  checkSlowStartStrategy(
    strategy.name,
    fleets.map((fleet) => fleet.backend.slowStartMs),
    (index) => fleetSlowStartGiven(config, index),
  );
  return {
    backends,
    fleets,
    backendDefaults,
    port: checkPort('port', config.port ?? DEFAULT_PORT),
    host: checkString('host', config.host ?? DEFAULT_HOST),
    strategy,
    retry: resolveRetry(config),
    timeouts: resolveTimeouts(config.timeouts ?? {}),
    keepAlive: resolveKeepAlive(config.keepAlive ?? {}),
    healthCheck: resolveHealthCheck(config.healthCheck),
    client: resolveClientLimits(config.client ?? {}),
    tls: resolveTls(config.tls),
    forwarding: resolveForwarding(config),
    logging: resolveLogging(config),
    retryAfterSeconds: Math.ceil(
      checkDuration('retryAfter', config.retryAfter ?? 1_000, { min: 1_000 }) / 1_000,
    ),
    graceMs: checkDuration('grace', config.grace ?? 10_000),
    admin: resolveAdmin(config.admin),
  };
}

/** Where backend `index` got its slow start: its own entry, or the top level. */
function slowStartGiven(config: BalancerConfig, index: number): { path: string; value: unknown } {
  const entry = config.backends?.[index];
  if (typeof entry === 'object' && entry.slowStart !== undefined) {
    return { path: `backends[${index}].slowStart`, value: entry.slowStart };
  }
  return { path: 'slowStart', value: config.slowStart };
}

/** Where fleet `index` got its slow start: its own entry, or the top level. */
function fleetSlowStartGiven(
  config: BalancerConfig,
  index: number,
): { path: string; value: unknown } {
  const entry = config.fleets?.[index];
  if (entry?.slowStart !== undefined) {
    return { path: `fleets[${index}].slowStart`, value: entry.slowStart };
  }
  return { path: 'slowStart', value: config.slowStart };
}
