import {
  checkDuration,
  checkInteger,
  checkKnownKeys,
  checkMethods,
  checkString,
} from '@koa-fleet/errors';
import { IpcBackend } from './internal/ipc-backend.js';
import { sessionRequestHandlers } from './internal/ipc-protocol.js';
import { MemoryBackend } from './internal/memory-backend.js';
import {
  DEFAULT_SESSION_NAMESPACE,
  type SessionFleetPlugin,
  type SessionWorkerIpc,
} from './ipc-types.js';
import { DEFAULT_MAX_SESSIONS } from './memory-store.js';
import { SessionStore } from './session-store.js';
import { resolveStoreOptions, STORE_OPTION_KEYS, type StoreOptions } from './store-options.js';

export interface EmbeddedStoreOptions extends StoreOptions {
  /** The worker's IPC (`WorkerContext.ipc` from @koa-fleet/cluster). */
  ipc: SessionWorkerIpc;
  /** Must match the plugin's. Default `'kf:session'`. */
  namespace?: string;
  /** How long a worker waits for the primary before answering 503. Default `'2s'`. */
  timeout?: number | string;
}

const STORE_KEYS = Object.keys({
  ipc: true,
  namespace: true,
  timeout: true,
  ...STORE_OPTION_KEYS,
} satisfies Record<keyof EmbeddedStoreOptions, true>);

/**
 * A worker's store for sessions held in the fleet's primary (see `embeddedSessionPlugin()`):
 * every worker on the machine sees the same sessions, with no Redis.
 */
export function embeddedStore(options: EmbeddedStoreOptions): SessionStore {
  checkKnownKeys('', options, STORE_KEYS);
  const ipc = checkMethods<SessionWorkerIpc>(
    'ipc',
    options.ipc,
    ['request'],
    'a worker IPC (WorkerContext.ipc)',
  );
  const namespace = checkString('namespace', options.namespace ?? DEFAULT_SESSION_NAMESPACE);
  const timeout = checkDuration('timeout', options.timeout ?? '2s', { min: 1 });
  const backend = new IpcBackend(ipc, namespace, timeout);
  return new SessionStore(backend, resolveStoreOptions(options));
}

export interface EmbeddedSessionPluginOptions {
  /** Most sessions the primary keeps (LRU beyond). Default 10 000. */
  maxSessions?: number;
  /** Must match the workers' `embeddedStore({ namespace })`. Default `'kf:session'`. */
  namespace?: string;
}

const PLUGIN_KEYS = Object.keys({
  maxSessions: true,
  namespace: true,
} satisfies Record<keyof EmbeddedSessionPluginOptions, true>);

/** The primary-side half of the embedded store: `startFleet({ plugins: [embeddedSessionPlugin()] })`. */
export function embeddedSessionPlugin(
  options: EmbeddedSessionPluginOptions = {},
): SessionFleetPlugin {
  checkKnownKeys('', options, PLUGIN_KEYS);
  const maxSessions = checkInteger('maxSessions', options.maxSessions ?? DEFAULT_MAX_SESSIONS, {
    min: 1,
  });
  const namespace = checkString('namespace', options.namespace ?? DEFAULT_SESSION_NAMESPACE);
  return {
    name: 'session',
    setup(primary) {
      const backend = new MemoryBackend({ maxSessions });
      return primary.ipc.handle(namespace, sessionRequestHandlers(backend));
    },
  };
}
