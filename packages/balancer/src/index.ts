// The public surface of @koa-fleet/balancer; everything else is internal.
export { createBalancer } from './balancer.js';
export type { Balancer, BalancerAddress, BalancerEvents, ProxyErrorEvent } from './balancer.js';
export type { BalancerConfig } from './options.js';
export type { ReloadResult, ReweightedBackend } from './reload/reload-result.js';
export type { FleetConfig } from './discovery/fleet-options.js';
export type {
  AdminFleet,
  AdminFleetList,
  AdminFleetReload,
  AdminFleetRestart,
  AdminFleetWorkerHealth,
  FleetConnectionEvent,
  FleetWorkerEvent,
} from './discovery/discovery-types.js';
export type { Backend, BackendConfig } from './backend.js';
export type { BackendChange } from './backend-set.js';
export type { BackendState, PassiveHealthOptions } from './health/passive-health.js';
export type { HealthCheckOptions } from './health/active-health.js';
export type { SlowStartOptions } from './health/slow-start.js';
export type { StrategyConfig, StrategyName } from './strategies/choose-strategy.js';
export type { HashKey, HashStrategyConfig } from './strategies/consistent-hash.js';
export type { NextUpstream, RetryOptions } from './proxy/retry-policy.js';
export type { TimeoutOptions } from './proxy/timeouts.js';
export type { KeepAliveOptions } from './upstream/upstream-pool.js';
export type { ForwardingOptions } from './headers/forwarded-headers.js';
export type { ClientLimitOptions } from './edge/client-limits.js';
export type { TlsOptions } from './edge/tls-certificates.js';
export type { ProxiedRequest } from './proxy/proxy-context.js';
export type { LoggingOptions, LogLevel } from './logging.js';
export { exportNginxConfig } from './export/nginx-config.js';
export { exportHaproxyConfig } from './export/haproxy-config.js';
export type { ExportOptions } from './export/export-options.js';
export type { AdminOptions } from './admin/admin-options.js';
export type { AdminAddress } from './admin/admin-server.js';
export type {
  AdminBackend,
  AdminBackendAddedEvent,
  AdminBackendList,
  AdminInfo,
  AdminBackendRemovedEvent,
  AdminConfigReloadedEvent,
  AdminErrorBody,
  AdminEvent,
  AdminReloadResult,
  AdminStateEvent,
  AdminStatsEvent,
  AdminWorkerState,
} from './admin/admin-types.js';
export type { BackendStats, BackendStatsState, LatencySummary } from './stats/backend-stats.js';
export type { CheckSummary, ErrorKind, StatusClass } from './stats/backend-counters.js';
export {
  BadRequestError,
  BalancerStateError,
  BodyTooLargeError,
  CertificateError,
  ConfigFileError,
  FleetCommandError,
  FleetConnectError,
  LastBackendError,
  ListenError,
  NoBackendError,
  NoWorkerError,
  ProxyError,
  ReloadRestartError,
  ReloadUnavailableError,
  TransferCodingError,
  UnknownBackendError,
  UnknownFleetError,
  UpstreamInvalidResponseError,
  UpstreamRefusedError,
  UpstreamResetError,
  UpstreamStatusError,
  UpstreamTimeoutError,
} from './errors.js';
export type { TimeoutPhase } from './errors.js';
// Errors every koa-fleet package shares, re-exported so users match on them from one import.
export { FleetError, InvalidOptionError, isFleetError } from '@koa-fleet/errors';
export type { FleetErrorCode } from '@koa-fleet/errors';
