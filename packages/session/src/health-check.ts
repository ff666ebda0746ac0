import { SessionUnavailableError } from './errors.js';
import type { SessionStore } from './session-store.js';

/** The shape @koa-fleet/health accepts in its `checks` option (docs/architecture.md §7). */
export interface SessionHealthCheck {
  name: string;
  critical: boolean;
  componentType: string;
  check(): Promise<{ observedValue: number; observedUnit: string }>;
}

/**
 * Readiness turns red while the store cannot answer: pings it (every Cluster master, or the
 * fleet primary) and reports the round trip in ms; throws SessionUnavailableError otherwise.
 */
export function sessionHealthCheck(
  store: SessionStore,
  options: { name?: string; critical?: boolean } = {},
): SessionHealthCheck {
  return {
    name: options.name ?? `session:${store.kind}`,
    critical: options.critical ?? true,
    componentType: 'datastore',
    async check() {
      const started = performance.now();
      try {
        await store.ping();
      } catch (error) {
        throw withCause(error, store.kind);
      }
      return {
        observedValue: Math.round((performance.now() - started) * 100) / 100,
        observedUnit: 'ms',
      };
    },
  };
}

// Readiness output is read by operators, not by the site's visitors: it names the cause.
function withCause(error: unknown, kind: string): unknown {
  if (!(error instanceof SessionUnavailableError) || !(error.cause instanceof Error)) return error;
  return new SessionUnavailableError(
    `session store (${kind}) unavailable: ${error.cause.message}`,
    {
      cause: error.cause,
      retryAfterSeconds: error.retryAfterSeconds,
    },
  );
}
