import type { Cluster, Redis, RedisOptions } from 'ioredis';
import type { SessionLogger } from './logger.js';

/**
 * Lists the settings of a passed client that make commands wait (possibly forever) while Redis
 * is down, instead of failing fast so the request can answer 503.
 */
export function queueingProblems(client: Redis | Cluster): string[] {
  const problems: string[] = [];
  const isCluster = client.isCluster;
  const top = client.options as { enableOfflineQueue?: boolean; redisOptions?: RedisOptions };
  const perNode: RedisOptions = isCluster
    ? (top.redisOptions ?? {})
    : (client.options as RedisOptions);
  if (top.enableOfflineQueue !== false) {
    problems.push(
      `enableOfflineQueue is not false${isCluster ? ' (set it on the Cluster options)' : ''}`,
    );
  }
  if (perNode.maxRetriesPerRequest === null)
    problems.push('maxRetriesPerRequest is null (retries forever)');
  if (!perNode.commandTimeout) problems.push('commandTimeout is not set');
  return problems;
}

export function warnIfQueueing(client: Redis | Cluster, logger: SessionLogger): void {
  const problems = queueingProblems(client);
  if (problems.length === 0) return;
  logger.warn(
    { problems },
    'the Redis client may queue session commands while Redis is down; requests would hang ' +
      'instead of answering 503 — see recommendedRedisOptions (recommendedClusterOptions for a Cluster)',
  );
}
