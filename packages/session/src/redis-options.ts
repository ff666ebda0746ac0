/**
 * ioredis settings that make commands fail fast instead of waiting for Redis to come back, so
 * a request answers 503 in about `commandTimeout` rather than hanging. For a Cluster pass
 * `enableOfflineQueue` at the top level and the rest in `redisOptions`.
 *
 * `autoResendUnfulfilledCommands: false` keeps a command that was in flight when the
 * connection dropped from being sent again after reconnecting, which could apply an `incr`
 * twice; such a command is reported as failed instead.
 */
export const recommendedRedisOptions = Object.freeze({
  enableOfflineQueue: false,
  maxRetriesPerRequest: 1,
  commandTimeout: 1000,
  autoResendUnfulfilledCommands: false,
  enableAutoPipelining: true,
} as const);
