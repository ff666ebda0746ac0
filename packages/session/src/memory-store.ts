import { checkInteger, checkKnownKeys } from '@koa-fleet/errors';
import { MemoryBackend } from './internal/memory-backend.js';
import { SessionStore } from './session-store.js';
import { resolveStoreOptions, STORE_OPTION_KEYS, type StoreOptions } from './store-options.js';

export interface MemoryStoreOptions extends StoreOptions {
  /** Most sessions kept; beyond it the least recently used is evicted. Default 10 000. */
  maxSessions?: number;
}

export const DEFAULT_MAX_SESSIONS = 10_000;

const KEYS = Object.keys({
  maxSessions: true,
  ...STORE_OPTION_KEYS,
} satisfies Record<keyof MemoryStoreOptions, true>);

/**
 * Sessions in this process's memory, with the same merge, atomic and TTL semantics as Redis.
 * For a single process; under the cluster use `embeddedStore()` so every worker shares them.
 */
export function memoryStore(options: MemoryStoreOptions = {}): SessionStore {
  checkKnownKeys('', options, KEYS);
  const maxSessions = checkInteger('maxSessions', options.maxSessions ?? DEFAULT_MAX_SESSIONS, {
    min: 1,
  });
  return new SessionStore(new MemoryBackend({ maxSessions }), resolveStoreOptions(options));
}
