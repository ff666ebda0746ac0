import { isFleetError } from '@koa-fleet/errors';
import { SessionUnavailableError } from '../errors.js';

// Replies that mean "Redis is there but cannot serve now" rather than "this command is wrong".
const TRANSIENT_REPLY = /^(LOADING|CLUSTERDOWN|TRYAGAIN|MASTERDOWN|READONLY|BUSY|NOREPLICAS)\b/;

/** What a client is told during an outage: the driver's wording stays in the log (`cause`). */
export const UNAVAILABLE_MESSAGE = 'session store unavailable';

/**
 * Maps a backend failure to what the request should see. Connection loss, timeouts, a full or
 * disabled offline queue, IPC timeouts and transient Redis replies become SessionUnavailableError
 * (503, the original error as its `cause`); our own errors and genuine command errors (a bug)
 * pass through unchanged.
 */
export function classifyFailure(error: unknown, retryAfterSeconds: number): unknown {
  if (isFleetError(error) && error.code.startsWith('KF_SESSION_')) return error;
  const name = error instanceof Error ? error.name : '';
  const message = error instanceof Error ? error.message : String(error);
  if (name === 'ReplyError' && !TRANSIENT_REPLY.test(message)) return error;
  return new SessionUnavailableError(UNAVAILABLE_MESSAGE, { cause: error, retryAfterSeconds });
}
