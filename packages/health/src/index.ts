// The public surface of @koa-fleet/health; everything else is internal.
export { health } from './middleware.js';
export type { HealthMiddleware } from './middleware.js';
export type { HealthOptions } from './options.js';
export type { HealthPaths } from './routes/paths-options.js';
export type { MetricsOptions } from './metrics/metrics-options.js';
export type { ExposeDetails } from './exposure-options.js';
export { ProbeState } from './probe-state.js';
export type { HealthReport } from './report.js';
export type { CheckResult, CheckStatus } from './internal/check-runner.js';
export { defineCheck } from './health-check.js';
export type { CheckObservation, DefineCheckOptions, HealthCheck } from './health-check.js';
export { checks } from './checks/index.js';
export { eventLoopDelayCheck } from './checks/event-loop.js';
export type { EventLoopCheckOptions } from './checks/event-loop.js';
export { memoryCheck } from './checks/memory.js';
export type { MemoryCheckOptions } from './checks/memory.js';
export { redisCheck } from './checks/redis.js';
export type { RedisCheckOptions, RedisPingClient } from './checks/redis.js';
export { HEALTH_JSON } from './health-json.js';
export type { HealthComponent, HealthJson } from './health-json.js';
export { healthFleetPlugin } from './fleet/plugin.js';
export type { FleetScrape, HealthFleetPlugin, HealthFleetPluginOptions } from './fleet/plugin.js';
export type { FleetView, FleetWorkerView, WorkerHealthSummary } from './fleet/fleet-view.js';
export { FleetMetricsAggregator } from './metrics/fleet-aggregator.js';
export type { MetricJson } from './metrics/fleet-aggregator.js';
export type {
  HealthFleetStats,
  HealthPrimaryContext,
  HealthPrimaryIpc,
  HealthWorkerIpc,
  HealthWorkerStats,
} from './fleet-types.js';
export { CheckFailedError, CheckTimeoutError, FleetUnavailableError } from './errors.js';
// Errors every koa-fleet package shares, re-exported so users match on them from one import.
export { FleetError, InvalidOptionError, isFleetError } from '@koa-fleet/errors';
export type { FleetErrorCode } from '@koa-fleet/errors';
