import type { IncomingMessage } from 'node:http';
import { BadRequestError, TransferCodingError, type ProxyError } from '../errors.js';

/**
 * The RFC 9112 framing rules Node's parser leaves to the server. A proxy that reads a request's
 * length one way while the server behind reads it another lets a client smuggle a second request
 * inside the first, so anything ambiguous is refused before it goes upstream.
 *
 * Node's parser (llhttp, strict) already answers 400 and closes for: `Content-Length` together
 * with `Transfer-Encoding` (§6.3 rule 3), a duplicate, listed or non-numeric `Content-Length`
 * (§6.3 rule 5), obs-fold (§5.2), whitespace before a field's colon (§5.1), bare CR or LF (§2.2),
 * a `Transfer-Encoding` ending in another coding than `chunked`, or with `chunked` twice (§6.3
 * rule 4, §7), and an HTTP/1.1 request without `Host` (§3.2). Checked here is what it lets pass.
 */
export function framingError(
  req: Pick<IncomingMessage, 'headers' | 'headersDistinct' | 'httpVersion'>,
): ProxyError | undefined {
  // §3.2: "more than one Host header field line" gets 400 (Node keeps the first and drops the rest).
  if ((req.headersDistinct.host?.length ?? 0) > 1) {
    return new BadRequestError('more than one Host header');
  }
  const transferEncoding = req.headers['transfer-encoding'];
  if (transferEncoding === undefined) return undefined;
  // §6.1: Transfer-Encoding in an HTTP/1.0 message is faulty framing (a 1.0 hop ignores it).
  if (req.httpVersion === '1.0') {
    return new BadRequestError('Transfer-Encoding in an HTTP/1.0 request');
  }
  const codings = transferEncoding
    .split(',')
    .map((coding) => coding.split(';')[0]!.trim().toLowerCase())
    .filter(Boolean);
  // §6.3 rule 4: a request whose final coding is not chunked has no reliable length; Node passes
  // an empty Transfer-Encoding, which a server behind may read as chunked.
  if (codings.at(-1) !== 'chunked') {
    return new BadRequestError('a Transfer-Encoding that does not end in chunked');
  }
  // §6.1: a coding the server does not understand gets 501. Node decodes only chunked, and the
  // header is hop-by-hop, so `gzip, chunked` would reach the backend as an undeclared gzip body.
  if (codings.length > 1) return new TransferCodingError(transferEncoding);
  return undefined;
}
