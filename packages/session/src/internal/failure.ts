import { isFleetError } from '@koa-fleet/errors';
import { SessionBackendError, SessionUnavailableError } from '../errors.js';

// Replies that mean "Redis is there but cannot serve now" rather than "this command is wrong".
const TRANSIENT_REPLY = /^(LOADING|CLUSTERDOWN|TRYAGAIN|MASTERDOWN|READONLY|BUSY|NOREPLICAS)\b/;

/** What a client is told during an outage: the driver's wording stays in the log (`cause`). */
export const UNAVAILABLE_MESSAGE = 'session store unavailable';

/**
 * Maps a backend failure to what the request should see. Connection loss, timeouts, a full or
 * disabled offline queue, IPC timeouts, transient Redis replies and SessionBackendError become
 * SessionUnavailableError (503, the original error as its `cause`); our other own errors and
 * genuine command errors (a bug) pass through unchanged.
 */
export function classifyFailure(error: unknown, retryAfterSeconds: number): unknown {
  const ours = isFleetError(error) && error.code.startsWith('KF_SESSION_');
  if (ours && !(error instanceof SessionBackendError)) return error;
  const name = error instanceof Error ? error.name : '';
  const message = error instanceof Error ? error.message : String(error);
  if (name === 'ReplyError' && !TRANSIENT_REPLY.test(message)) return error;
  return new SessionUnavailableError(UNAVAILABLE_MESSAGE, { cause: error, retryAfterSeconds });
}
