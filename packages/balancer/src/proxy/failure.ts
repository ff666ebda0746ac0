import {
  BadRequestError,
  UpstreamInvalidResponseError,
  UpstreamRefusedError,
  UpstreamResetError,
  UpstreamStatusError,
  UpstreamTimeoutError,
  type ProxyError,
  type TimeoutPhase,
} from '../errors.js';

/**
 * Why one try on one backend did not give the client a response:
 * - `connect`: no connection (refused, unreachable); nothing was sent.
 * - `timeout`: connect, headers or total timeout (`phase`).
 * - `reset`: the connection closed or reset before the response's headers.
 * - `invalid`: the response was not valid HTTP (nginx's `invalid_header`).
 * - `status`: the backend answered with a status `nextUpstream` retries (`http_502`, …).
 * - `request`: undici refused the request itself (not the backend's fault).
 * - `cancelled`: the balancer stopped the try (the client left, or the balancer is closing).
 * - `client`: the client broke a limit while the try ran (a body over `client.maxBodySize`); it is
 *   answered with `error`, never retried and not the backend's failure.
 */
export type Failure =
  | { kind: 'connect'; sent: false; cause: Error }
  | { kind: 'timeout'; sent: boolean; phase: TimeoutPhase; cause: Error }
  | { kind: 'reset' | 'invalid'; sent: true; reused: boolean; cause: Error }
  | { kind: 'status'; sent: true; status: number }
  | { kind: 'request' | 'cancelled'; sent: boolean; cause: Error }
  | { kind: 'client'; sent: boolean; error: ProxyError; cause: Error };

const CONNECT_CODES = new Set([
  'ECONNREFUSED',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EADDRNOTAVAIL',
]);

/** Classifies an undici error of a try; `sent` is whether the request began to go out. */
export function classifyError(error: Error, sent: boolean, reused: boolean): Failure {
  const code = (error as { code?: unknown }).code;
  if (code === 'UND_ERR_CONNECT_TIMEOUT') {
    return { kind: 'timeout', sent: false, phase: 'connect', cause: error };
  }
  if (typeof code === 'string' && CONNECT_CODES.has(code) && !sent) {
    return { kind: 'connect', sent: false, cause: error };
  }
  if (code === 'UND_ERR_HEADERS_TIMEOUT') {
    return { kind: 'timeout', sent: true, phase: 'headers', cause: error };
  }
  if (code === 'UND_ERR_BODY_TIMEOUT') {
    return { kind: 'timeout', sent: true, phase: 'idle', cause: error };
  }
  if (
    code === 'UND_ERR_INVALID_ARG' ||
    code === 'UND_ERR_NOT_SUPPORTED' ||
    code === 'UND_ERR_REQ_CONTENT_LENGTH_MISMATCH'
  ) {
    return { kind: 'request', sent, cause: error };
  }
  if (
    (typeof code === 'string' && code.startsWith('HPE_')) ||
    code === 'UND_ERR_RES_EXCEEDED_MAX_SIZE' ||
    error.name === 'HTTPParserError'
  ) {
    return { kind: 'invalid', sent: true, reused, cause: error };
  }
  if (!sent) return { kind: 'connect', sent: false, cause: error };
  return { kind: 'reset', sent: true, reused, cause: error };
}

/** The error a client is answered with when this was the last try. */
export function failureError(failure: Failure, backend: string): ProxyError {
  switch (failure.kind) {
    case 'connect':
      return new UpstreamRefusedError(backend, { cause: failure.cause });
    case 'timeout':
      return new UpstreamTimeoutError(backend, failure.phase, { cause: failure.cause });
    case 'invalid':
      return new UpstreamInvalidResponseError(backend, { cause: failure.cause });
    case 'request':
      return new BadRequestError(undefined, { cause: failure.cause });
    case 'status':
      return new UpstreamStatusError(backend, failure.status);
    case 'client':
      return failure.error;
    default:
      return new UpstreamResetError(backend, { cause: failure.cause });
  }
}
