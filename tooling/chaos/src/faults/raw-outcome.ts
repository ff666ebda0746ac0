import type { RawReply } from '@koa-fleet/testkit';

/**
 * What a raw request came to: an answer by its status class, `closed` (the server dropped the
 * connection without one), or `hang` (neither an answer nor a close before the test gave up).
 * `unsupported-coding` is the balancer's 501 to a transfer coding before `chunked` it cannot
 * decode (KF_BALANCER_TRANSFER_CODING, RFC 9112 §6.1): a refusal, not a server error.
 */
export type RawOutcome =
  '1xx' | '2xx' | '3xx' | '4xx' | '5xx' | 'unsupported-coding' | 'closed' | 'hang';

export function rawOutcome(reply: RawReply): RawOutcome {
  if (reply.status === 0) return reply.closedByServer ? 'closed' : 'hang';
  if (reply.status === 501 && /does not implement/.test(reply.text)) return 'unsupported-coding';
  return `${Math.floor(reply.status / 100)}xx` as RawOutcome;
}

/** How many responses came back on the connection: more than one to one request is smuggling. */
export function responseCount(reply: RawReply): number {
  return reply.text.match(/HTTP\/1\.[01] \d{3} /g)?.length ?? 0;
}

/** The body after the first response's head (a Content-Length body, as the system app sends). */
export function responseBody(reply: RawReply): string {
  const start = reply.text.indexOf('\r\n\r\n');
  return start === -1 ? '' : reply.text.slice(start + 4);
}
