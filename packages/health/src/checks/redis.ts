import { checkKnownKeys, InvalidOptionError } from '@koa-fleet/errors';
import { CheckFailedError } from '../errors.js';
import { defineCheck, type DefineCheckOptions, type HealthCheck } from '../health-check.js';

/** The part of an ioredis client (or Cluster) this check uses. */
export interface RedisPingClient {
  ping(): Promise<string>;
  /** ioredis' connection status; when known and not 'ready', the check fails without queueing. */
  readonly status?: string;
}

export interface RedisCheckOptions extends DefineCheckOptions {
  /** Default 'redis'. */
  name?: string;
}

/** Passes when Redis answers PING with PONG; observes the round trip in milliseconds. */
export function redisCheck(client: RedisPingClient, options: RedisCheckOptions = {}): HealthCheck {
  checkKnownKeys('', options, ['name', 'critical', 'componentType', 'timeout', 'interval']);
  const { name = 'redis', ...rest } = options;
  if (typeof client?.ping !== 'function') {
    throw new InvalidOptionError('client', 'a Redis client with a ping() method', typeof client);
  }
  return defineCheck(
    name,
    async () => {
      // ioredis queues commands while reconnecting; asking would only wait for the timeout.
      if (client.status !== undefined && client.status !== 'ready') {
        throw new CheckFailedError(`redis connection is ${client.status}`);
      }
      const started = performance.now();
      const answer = await client.ping();
      if (answer !== 'PONG') throw new CheckFailedError(`redis answered PING with ${answer}`);
      return { observedValue: round(performance.now() - started), observedUnit: 'ms' };
    },
    { componentType: 'datastore', ...rest },
  );
}

function round(ms: number): number {
  return Math.round(ms * 100) / 100;
}
