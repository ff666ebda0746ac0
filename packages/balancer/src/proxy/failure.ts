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
import { UpstreamIoError } from '../upstream/upstream-io-error.js';

/**
 * Why one try on one backend did not give the client a response:
 * - `connect`: no connection (refused, unreachable); nothing was sent.
 * - `timeout`: connect, headers or total timeout (`phase`).
 * - `reset`: the connection closed or reset before the response's headers.
 * - `invalid`: the response was not valid HTTP (nginx's `invalid_header`).
 * - `status`: the backend answered with a status `nextUpstream` retries (`http_502`, …).
 * - `request`: the request could not be sent as it was (its body stream failed; not the
 *   backend's fault).
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

/**
 * Classifies the error a try failed with (an UpstreamIoError of the pool, or a socket's own
 * error); `sent` is whether the request began to go out, `reused` whether on a kept-alive socket.
 */
export function classifyError(error: Error, sent: boolean, reused: boolean): Failure {
  if (error instanceof UpstreamIoError) {
    switch (error.reason) {
      case 'connect-timeout':
        return { kind: 'timeout', sent: false, phase: 'connect', cause: error };
      case 'headers-timeout':
        return { kind: 'timeout', sent: true, phase: 'headers', cause: error };
      case 'idle-timeout':
        return { kind: 'timeout', sent: true, phase: 'idle', cause: error };
      case 'invalid':
        return { kind: 'invalid', sent: true, reused, cause: error };
      case 'request':
        return { kind: 'request', sent, cause: error };
      case 'closed':
        break;
    }
  }
  // Nothing went out: no connection (refused, unreachable, closed while connecting).
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
