import {
  checkBytes,
  checkDuration,
  checkFunction,
  checkMethods,
  checkOneOf,
  InvalidOptionError,
} from '@koa-fleet/errors';
import { REGISTRY_METHODS } from '@koa-fleet/contracts';
import { consoleLogger, type SessionLogger } from './internal/logger.js';
import type { MetricsRegistry } from './peer-types.js';
import { jsonSerializer, type SessionSerializer } from './serializer.js';

export type ConflictPolicy = 'last-writer-wins' | 'compare-and-set';

/** Options every store accepts, whatever holds the sessions. */
export interface StoreOptions {
  /**
   * Lifetime when koa-session gives none (`maxAge: 'session'`): browser-session cookies still
   * need their server-side data to expire. Milliseconds or text. Default `'1d'`.
   */
  ttl?: number | string;
  /** How one field's value is stored. Default JSON. */
  serializer?: SessionSerializer;
  /**
   * Two requests changing the *same* field: `'last-writer-wins'` (default) keeps the later
   * write; `'compare-and-set'` rejects the later one with SessionConflictError (409).
   */
  conflicts?: ConflictPolicy;
  /** Largest session (field names + stored values) a write may produce. Default `'64kb'`. */
  maxBytes?: number | string;
  /** How long (ms or text, whole seconds) clients wait (`Retry-After`) during an outage. `'1s'`. */
  retryAfter?: number | string;
  /** Where corrupt data and risky client settings are reported. pino fits. Default console. */
  logger?: SessionLogger;
  /** prom-client Registry to register `koa_fleet_session_*` metrics on. */
  registry?: MetricsRegistry;
}

export interface ResolvedStoreOptions {
  ttlMs: number;
  serializer: SessionSerializer;
  compareAndSet: boolean;
  maxBytes: number;
  retryAfterSeconds: number;
  logger: SessionLogger;
  registry: MetricsRegistry | undefined;
}

/** Every store's own option keys, for the factories' lists of known keys. */
export const STORE_OPTION_KEYS = {
  ttl: true,
  serializer: true,
  conflicts: true,
  maxBytes: true,
  retryAfter: true,
  logger: true,
  registry: true,
} as const satisfies Record<keyof StoreOptions, true>;

export function resolveStoreOptions(options: StoreOptions): ResolvedStoreOptions {
  const serializer = options.serializer ?? jsonSerializer;
  if (typeof serializer !== 'object' || serializer === null) {
    throw new InvalidOptionError('serializer', 'an object with stringify and parse', serializer);
  }
  checkFunction('serializer.stringify', serializer.stringify);
  checkFunction('serializer.parse', serializer.parse);
  const logger = checkMethods<SessionLogger>(
    'logger',
    options.logger ?? consoleLogger,
    ['warn'],
    'a logger such as pino',
  );
  const registry =
    options.registry === undefined
      ? undefined
      : checkMethods<MetricsRegistry>(
          'registry',
          options.registry,
          REGISTRY_METHODS,
          'a prom-client Registry',
        );
  return {
    ttlMs: checkDuration('ttl', options.ttl ?? '1d', { min: 1000 }),
    serializer,
    compareAndSet:
      checkOneOf('conflicts', options.conflicts ?? 'last-writer-wins', [
        'last-writer-wins',
        'compare-and-set',
      ] as const) === 'compare-and-set',
    maxBytes: checkBytes('maxBytes', options.maxBytes ?? '64kb', { min: 64 }),
    retryAfterSeconds: Math.ceil(
      checkDuration('retryAfter', options.retryAfter ?? '1s', { min: 1000 }) / 1000,
    ),
    logger,
    registry,
  };
}
