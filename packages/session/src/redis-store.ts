import type { Cluster, Redis } from 'ioredis';
import { checkKnownKeys, checkMethods, checkString, InvalidOptionError } from '@koa-fleet/errors';
import type { RedisClient } from './peer-types.js';
import { warnIfQueueing } from './internal/client-check.js';
import { RedisBackend } from './internal/redis-backend.js';
import { SessionStore } from './session-store.js';
import { resolveStoreOptions, STORE_OPTION_KEYS, type StoreOptions } from './store-options.js';

export interface RedisStoreOptions extends StoreOptions {
  /** An ioredis `Redis` (standalone or Sentinel-backed) or `Cluster`. Not closed by the store. */
  client: RedisClient;
  /** Key prefix; a session lives in the hash `{prefix}{<id>}`. Default `'kf:sess:'`. */
  prefix?: string;
}

const KEYS = Object.keys({
  client: true,
  prefix: true,
  ...STORE_OPTION_KEYS,
} satisfies Record<keyof RedisStoreOptions, true>);

/** A conflict-safe koa-session store on Redis, Redis Sentinel or Redis Cluster. */
export function redisStore(options: RedisStoreOptions): SessionStore {
  checkKnownKeys('', options, KEYS);
  const client = checkMethods<Redis | Cluster>(
    'client',
    options.client,
    ['sendCommand'],
    'an ioredis Redis or Cluster instance',
  );
  const prefix = checkString('prefix', options.prefix ?? 'kf:sess:', { nonEmpty: false });
  // Braces in the prefix would become the Cluster hash tag and pile every session on one slot.
  if (/[{}]/.test(prefix)) throw new InvalidOptionError('prefix', 'text without { or }', prefix);
  const resolved = resolveStoreOptions(options);
  warnIfQueueing(client, resolved.logger);
  return new SessionStore(new RedisBackend(client, prefix), resolved);
}
