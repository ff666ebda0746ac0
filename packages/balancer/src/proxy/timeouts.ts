import { checkDuration } from '@koa-fleet/errors';
import { checkOptionObject } from '../internal/option-object.js';

/** Time limits on a backend, each a duration (ms, or text such as '5s'). */
export interface TimeoutOptions {
  /** To open a connection (nginx `proxy_connect_timeout`). Default '5s'. */
  connect?: number | string;
  /** From sending the request to the response's headers (`proxy_read_timeout`). Default '60s'. */
  headers?: number | string;
  /** Between two pieces of the response body (`proxy_read_timeout`). Default '60s'. */
  idle?: number | string;
  /** From the first try to the end of the response, retries included; 0 (default): none. */
  total?: number | string;
}

export interface ResolvedTimeouts {
  connectMs: number;
  headersMs: number;
  idleMs: number;
  /** 0: none. */
  totalMs: number;
}

const TIMEOUT_KEYS = Object.keys({
  connect: true,
  headers: true,
  idle: true,
  total: true,
} satisfies Record<keyof TimeoutOptions, true>);

export function resolveTimeouts(input: unknown): ResolvedTimeouts {
  const given = checkOptionObject<TimeoutOptions>(
    'timeouts',
    input,
    TIMEOUT_KEYS,
    'an object of durations',
  );
  return {
    connectMs: checkDuration('timeouts.connect', given.connect ?? 5_000, { min: 1 }),
    headersMs: checkDuration('timeouts.headers', given.headers ?? 60_000, { min: 1 }),
    idleMs: checkDuration('timeouts.idle', given.idle ?? 60_000, { min: 1 }),
    totalMs: checkDuration('timeouts.total', given.total ?? 0),
  };
}
