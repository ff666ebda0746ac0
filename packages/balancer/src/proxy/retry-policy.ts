import {
  checkBytes,
  checkDuration,
  checkInteger,
  checkOneOf,
  InvalidOptionError,
} from '@koa-fleet/errors';
import type { Failure } from './failure.js';

/** nginx's `proxy_next_upstream` values. */
export const NEXT_UPSTREAM = [
  'error',
  'timeout',
  'invalid_header',
  'http_500',
  'http_502',
  'http_503',
  'http_504',
  'http_403',
  'http_404',
  'http_429',
  'non_idempotent',
  'off',
] as const;
export type NextUpstream = (typeof NEXT_UPSTREAM)[number];

export interface RetryOptions {
  /** When a request goes to the next backend, as nginx's `proxy_next_upstream`. Default ['error', 'timeout']. */
  nextUpstream?: NextUpstream[];
  /** Tries at most, the first included (`proxy_next_upstream_tries`); 0 (default): every backend once. */
  tries?: number;
  /** Time after which no next backend is tried (`proxy_next_upstream_timeout`); 0 (default): none. */
  nextUpstreamTimeout?: number | string;
  /** Bodies up to this size are buffered, so a retry can send them again; larger ones stream and are not retried. Default '64kb'. */
  retryBodyLimit?: number | string;
}

export interface ResolvedRetry {
  nextUpstream: ReadonlySet<NextUpstream>;
  tries: number;
  nextUpstreamTimeoutMs: number;
  retryBodyLimit: number;
}

export function resolveRetry(input: RetryOptions): ResolvedRetry {
  const list = input.nextUpstream ?? ['error', 'timeout'];
  if (!Array.isArray(list)) {
    throw new InvalidOptionError('nextUpstream', 'an array such as ["error", "timeout"]', list);
  }
  const nextUpstream = new Set(
    list.map((value: unknown, index) => checkOneOf(`nextUpstream[${index}]`, value, NEXT_UPSTREAM)),
  );
  if (nextUpstream.has('off') && nextUpstream.size > 1) {
    throw new InvalidOptionError('nextUpstream', '["off"] alone, or a list without "off"', list);
  }
  return {
    nextUpstream,
    tries: checkInteger('tries', input.tries ?? 0, { min: 0 }),
    nextUpstreamTimeoutMs: checkDuration('nextUpstreamTimeout', input.nextUpstreamTimeout ?? 0),
    retryBodyLimit: checkBytes('retryBodyLimit', input.retryBodyLimit ?? 64 * 1024),
  };
}

/** RFC 9110 §9.2.2 leaves these out; nginx never retries POST, LOCK and PATCH once sent. */
const NON_IDEMPOTENT = new Set(['POST', 'LOCK', 'PATCH']);

/** What a retry decision needs to know of the request so far. */
export interface RetryState {
  method: string;
  replayable: boolean;
  /** Tries made, this one included (a stale keep-alive socket's retry does not count). */
  tries: number;
  startedAt: number;
}

/**
 * nginx's proxy_next_upstream rules, in one place: which failures go to the next backend, and
 * which count against a backend's `maxFails` (error, timeout and invalid_header always; a status
 * only when listed, and never 403 or 404).
 */
export class RetryPolicy {
  readonly #options: ResolvedRetry;

  constructor(options: ResolvedRetry) {
    this.#options = options;
  }

  /** The backend's answer is a status listed in `nextUpstream` (`http_502`, …). */
  retriesStatus(status: number): boolean {
    return this.#options.nextUpstream.has(`http_${status}` as NextUpstream);
  }

  countsAsFailure(failure: Failure): boolean {
    switch (failure.kind) {
      case 'timeout':
        return failure.phase !== 'total'; // the client's budget ran out, not the backend's
      case 'connect':
      case 'reset':
      case 'invalid':
        return true;
      case 'status':
        return (
          failure.status !== 403 && failure.status !== 404 && this.retriesStatus(failure.status)
        );
      default:
        return false;
    }
  }

  /** Whether `failure` may go on to a next backend (whether there is one is the caller's). */
  mayRetry(failure: Failure, state: RetryState): boolean {
    const { tries, nextUpstreamTimeoutMs } = this.#options;
    if (!this.#listed(failure)) return false;
    if (failure.sent && !state.replayable) return false;
    if (failure.sent && !this.isRetrySafe(state.method)) return false;
    if (tries > 0 && state.tries >= tries) return false;
    return nextUpstreamTimeoutMs === 0 || Date.now() - state.startedAt < nextUpstreamTimeoutMs;
  }

  /** A request that may be sent twice: idempotent, or `non_idempotent` is listed. */
  isRetrySafe(method: string): boolean {
    return !NON_IDEMPOTENT.has(method) || this.#options.nextUpstream.has('non_idempotent');
  }

  #listed(failure: Failure): boolean {
    const listed = this.#options.nextUpstream;
    switch (failure.kind) {
      case 'connect':
      case 'reset':
        return listed.has('error');
      case 'timeout':
        return failure.phase !== 'total' && listed.has('timeout');
      case 'invalid':
        return listed.has('invalid_header');
      case 'status':
        return this.retriesStatus(failure.status);
      default:
        return false;
    }
  }
}
