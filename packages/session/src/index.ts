// Errors every koa-fleet package shares, re-exported so users match on them from one import.
export { FleetError, InvalidOptionError, isFleetError } from '@koa-fleet/errors';
export type { FleetErrorCode } from '@koa-fleet/errors';

export {
  SessionConflictError,
  SessionTooLargeError,
  SessionUnavailableError,
  SessionUsageError,
} from './errors.js';

export { session } from './session.js';
export type { SessionOptions } from './session-options.js';
export type { Session } from './session-object.js';
export type {} from './koa-context.js'; // ctx.session's type on Koa's context

export { redisStore } from './redis-store.js';
export type { RedisStoreOptions } from './redis-store.js';
export { recommendedClusterOptions, recommendedRedisOptions } from './redis-options.js';
export { memoryStore } from './memory-store.js';
export type { MemoryStoreOptions } from './memory-store.js';
export { embeddedSessionPlugin, embeddedStore } from './embedded-store.js';
export type { EmbeddedSessionPluginOptions, EmbeddedStoreOptions } from './embedded-store.js';
export type {
  SessionFleetPlugin,
  SessionPrimaryContext,
  SessionPrimaryIpc,
  SessionWorkerIpc,
} from './ipc-types.js';

export type { SessionStore, StoreCallOptions } from './session-store.js';
export type { ConflictPolicy, StoreOptions } from './store-options.js';
export { jsonSerializer } from './serializer.js';
export type { SessionSerializer } from './serializer.js';
export type { SessionLogger } from './internal/logger.js';
export type { MetricsRegistry, RedisClient } from './peer-types.js';

export { addToSet, append, incr } from './atomic.js';
export { sessionHealthCheck } from './health-check.js';
export type { SessionHealthCheck } from './health-check.js';
