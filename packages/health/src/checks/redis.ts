import { checkKnownKeys, checkMethods } from '@koa-fleet/errors';
import { CheckFailedError } from '../errors.js';
import {
  DEFINE_CHECK_KEYS,
  defineCheck,
  type DefineCheckOptions,
  type HealthCheck,
} from '../health-check.js';

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

const KEYS = Object.keys({
  ...DEFINE_CHECK_KEYS,
  name: true,
} satisfies Record<keyof RedisCheckOptions, true>);

/** Passes when Redis answers PING with PONG; observes the round trip in milliseconds. */
export function redisCheck(client: RedisPingClient, options: RedisCheckOptions = {}): HealthCheck {
  checkKnownKeys('', options, KEYS);
  const { name = 'redis', ...rest } = options;
  checkMethods('client', client, ['ping'], 'a Redis client');
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
