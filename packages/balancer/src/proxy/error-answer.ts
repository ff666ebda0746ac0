import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { STATUS_CODES } from 'node:http';
import type { ProxyError } from '../errors.js';

/** What the client reads: the kind of trouble, never a backend's address or an error's text. */
const MESSAGES: Record<ProxyError['status'], string> = {
  400: 'The request cannot be forwarded as it is.',
  413: 'The request body is larger than this server accepts.',
  501: 'The request uses a transfer coding this server does not implement.',
  502: 'The server behind this proxy did not answer properly.',
  503: 'No server is available to answer right now; please retry shortly.',
  504: 'The server behind this proxy took too long to answer.',
};

export interface ErrorAnswerOptions {
  requestIdHeader: string | undefined;
  requestId: string | undefined;
  /** Sent as `Retry-After` with a 503. */
  retryAfterSeconds: number;
  /**
   * Closes the connection after the answer: the request's body was not read (a refused request),
   * or the connection left HTTP (an upgrade), so it cannot carry another request.
   */
  close?: boolean;
}

/** An error's answer, to be written to a ServerResponse or, for an upgrade, to the raw socket. */
export interface ErrorAnswer {
  status: ProxyError['status'];
  headers: OutgoingHttpHeaders;
  /** Empty for a HEAD request. */
  body: string;
}

/** A short body, JSON when the client accepts JSON, text otherwise. */
export function errorAnswer(
  req: Pick<IncomingMessage, 'method' | 'headers'>,
  error: ProxyError,
  options: ErrorAnswerOptions,
): ErrorAnswer {
  const { status, code } = error;
  const message = MESSAGES[status];
  const json = acceptsJson(req.headers.accept);
  const body = json
    ? JSON.stringify({
        error: STATUS_CODES[status],
        code,
        message,
        ...(options.requestId && { requestId: options.requestId }),
      })
    : `${status} ${STATUS_CODES[status]}: ${message}\n`;
  const headers: OutgoingHttpHeaders = {
    'content-type': json ? 'application/json; charset=utf-8' : 'text/plain; charset=utf-8',
    'content-length': Buffer.byteLength(body),
    'cache-control': 'no-store',
  };
  if (status === 503) headers['retry-after'] = String(options.retryAfterSeconds);
  if (options.requestIdHeader && options.requestId) {
    headers[options.requestIdHeader] = options.requestId;
  }
  if (options.close) headers.connection = 'close';
  return { status, headers, body: req.method === 'HEAD' ? '' : body };
}

/**
 * Answers the client for an error. Once the response has begun there is nothing left to say: the
 * connection is cut, so the client sees a truncated response instead of a wrong one.
 */
export function answerError(
  req: IncomingMessage,
  res: ServerResponse,
  error: ProxyError,
  options: ErrorAnswerOptions,
): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const { status, headers, body } = errorAnswer(req, error, options);
  res.writeHead(status, headers);
  res.end(body);
}

/** `application/json`, `application/problem+json`, … listed in Accept (and not refused). */
function acceptsJson(accept: string | undefined): boolean {
  if (!accept) return false;
  return accept
    .split(',')
    .some(
      (range) =>
        /^\s*application\/(?:[\w.-]+\+)?json\s*(;|$)/i.test(range) &&
        !/;\s*q=0(\.0*)?\s*(;|$)/.test(range),
    );
}
