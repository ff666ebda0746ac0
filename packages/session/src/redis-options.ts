/**
 * ioredis settings that make commands fail fast instead of waiting for Redis to come back, so
 * a request answers 503 in about `commandTimeout` rather than hanging. For a Cluster use
 * `recommendedClusterOptions` (the queue setting belongs at its top level).
 *
 * `autoResendUnfulfilledCommands: false` keeps a command that was in flight when the
 * connection dropped from being sent again after reconnecting, which could apply an `incr`
 * twice; such a command is reported as failed instead.
 *
 * `enableAutoPipelining: true` sends the commands of concurrent requests in one socket write:
 * fewer system calls in the worker and in Redis (in the session benchmark, Redis' CPU per new
 * session fell by half).
 */
export const recommendedRedisOptions = Object.freeze({
  enableOfflineQueue: false,
  maxRetriesPerRequest: 1,
  commandTimeout: 1000,
  autoResendUnfulfilledCommands: false,
  enableAutoPipelining: true,
} as const);

/**
 * The same for an ioredis `Cluster`: `new Cluster(nodes, recommendedClusterOptions)`. Without
 * auto-pipelining: with it (ioredis 5.11), a client whose master was killed and restarted never
 * reconnected to it in our outage test (see also ioredis #2075, pipelines and topology changes).
 */
export const recommendedClusterOptions = Object.freeze({
  enableOfflineQueue: false,
  redisOptions: Object.freeze({
    maxRetriesPerRequest: 1,
    commandTimeout: 1000,
    autoResendUnfulfilledCommands: false,
  }),
} as const);
