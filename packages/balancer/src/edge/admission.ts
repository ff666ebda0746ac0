import type { IncomingMessage } from 'node:http';
import { BadRequestError, BodyTooLargeError, type ProxyError } from '../errors.js';
import type { ResolvedClientLimits } from './client-limits.js';
import { framingError } from './request-framing.js';

/**
 * Why a request is refused before any backend is chosen, or undefined when it may go on: a
 * target that is not a path (`OPTIONS *`, an absolute URL), ambiguous framing, or a declared body
 * over `client.maxBodySize`. A chunked body over the limit is caught while it streams (see
 * readRequestBody). Its body is never read, so the answer closes the connection.
 */
export function admissionError(
  req: IncomingMessage,
  limits: Pick<ResolvedClientLimits, 'maxBodySize'>,
): ProxyError | undefined {
  if (!req.url?.startsWith('/')) return new BadRequestError('the target is not a path');
  const framing = framingError(req);
  if (framing) return framing;
  const length = req.headers['content-length'];
  if (limits.maxBodySize > 0 && length !== undefined && Number(length) > limits.maxBodySize) {
    return new BodyTooLargeError(limits.maxBodySize);
  }
  return undefined;
}
