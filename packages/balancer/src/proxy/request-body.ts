import type { IncomingMessage } from 'node:http';
import { Readable } from 'node:stream';
import { BodyTooLargeError } from '../errors.js';

/**
 * A request body, buffered when it fits `limit` so a retry can send it again (nginx buffers
 * bodies too), streamed otherwise — and then a failure after sending is never retried.
 */
export type RequestBody =
  { replayable: true; data: Buffer | null } | { replayable: false; stream: Readable };

/** `client.maxBodySize` for a body whose length is not declared (chunked). */
export interface BodySizeLimit {
  /** 0: none. */
  maxBodySize: number;
  /** A streamed body went over it: called before the stream fails, so its try can be stopped. */
  exceeded(error: BodyTooLargeError): void;
}

const NO_SIZE_LIMIT: BodySizeLimit = { maxBodySize: 0, exceeded: () => {} };

/** Neither Content-Length nor Transfer-Encoding: the request has no body (RFC 9112 §6.3). */
export function hasBody(req: IncomingMessage): boolean {
  const { headers } = req;
  return headers['content-length'] !== undefined || headers['transfer-encoding'] !== undefined;
}

/**
 * Resolves once the body is buffered, or as soon as it is known to be too large to. Rejects with
 * a BodyTooLargeError when a body being buffered goes over `size.maxBodySize` (a declared
 * Content-Length over it is refused before, see admissionError).
 */
export async function readRequestBody(
  req: IncomingMessage,
  limit: number,
  size: BodySizeLimit = NO_SIZE_LIMIT,
): Promise<RequestBody> {
  if (!hasBody(req)) return { replayable: true, data: null };
  const length = req.headers['content-length'];
  if (length !== undefined && Number(length) > limit) {
    return { replayable: false, stream: req };
  }
  const chunks: Buffer[] = [];
  let read = 0;
  const iterator = req[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  for (;;) {
    const { value, done } = await iterator.next();
    if (done) break;
    chunks.push(value);
    read += value.length;
    if (size.maxBodySize > 0 && read > size.maxBodySize) {
      throw new BodyTooLargeError(size.maxBodySize);
    }
    if (read > limit) {
      return {
        replayable: false,
        stream: Readable.from(rest(chunks, read, iterator, size), { objectMode: false }),
      };
    }
  }
  return { replayable: true, data: read === 0 ? null : Buffer.concat(chunks, read) };
}

/** What was read already, then the rest as it comes (iteration pulls, so back-pressure holds). */
async function* rest(
  chunks: Buffer[],
  read: number,
  iterator: AsyncIterator<Buffer>,
  size: BodySizeLimit,
): AsyncGenerator<Buffer> {
  yield* chunks;
  for (;;) {
    const { value, done } = await iterator.next();
    if (done) return;
    read += value.length;
    if (size.maxBodySize > 0 && read > size.maxBodySize) {
      const error = new BodyTooLargeError(size.maxBodySize);
      size.exceeded(error);
      throw error;
    }
    yield value;
  }
}
