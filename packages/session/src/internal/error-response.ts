import { isFleetError } from '@koa-fleet/errors';

interface HttpSessionError {
  code: string;
  message: string;
  status: number;
  headers?: Record<string, string>;
}

const ANSWERED_CODES = new Set([
  'KF_SESSION_UNAVAILABLE',
  'KF_SESSION_CONFLICT',
  'KF_SESSION_TOO_LARGE',
]);

/** The session errors a client can act on (retry later, reload, send less), answered as JSON. */
export function isAnsweredSessionError(error: unknown): error is HttpSessionError {
  return isFleetError(error) && ANSWERED_CODES.has(error.code);
}

interface ResponseContext {
  status: number;
  body: unknown;
  set(field: string, value: string): void;
}

export function answerSessionError(ctx: ResponseContext, error: HttpSessionError): void {
  ctx.status = error.status;
  for (const [field, value] of Object.entries(error.headers ?? {})) ctx.set(field, value);
  ctx.body = { error: { code: error.code, message: error.message } };
}
