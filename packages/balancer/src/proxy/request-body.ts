import type { IncomingMessage } from 'node:http';
import { Readable } from 'node:stream';

/**
 * A request body, buffered when it fits `limit` so a retry can send it again (nginx buffers
 * bodies too), streamed otherwise — and then a failure after sending is never retried.
 */
export type RequestBody =
  { replayable: true; data: Buffer | null } | { replayable: false; stream: Readable };

/** Resolves once the body is buffered, or as soon as it is known to be too large to. */
export async function readRequestBody(req: IncomingMessage, limit: number): Promise<RequestBody> {
  const length = req.headers['content-length'];
  if (length === undefined && req.headers['transfer-encoding'] === undefined) {
    return { replayable: true, data: null }; // no body (RFC 9112 §6.3)
  }
  if (length !== undefined && Number(length) > limit) {
    return { replayable: false, stream: req };
  }
  const chunks: Buffer[] = [];
  let size = 0;
  const iterator = req[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  for (;;) {
    const { value, done } = await iterator.next();
    if (done) break;
    chunks.push(value);
    size += value.length;
    if (size > limit) {
      return {
        replayable: false,
        stream: Readable.from(rest(chunks, iterator), { objectMode: false }),
      };
    }
  }
  return { replayable: true, data: size === 0 ? null : Buffer.concat(chunks, size) };
}

/** What was read already, then the rest as it comes (iteration pulls, so back-pressure holds). */
async function* rest(read: Buffer[], iterator: AsyncIterator<Buffer>): AsyncGenerator<Buffer> {
  yield* read;
  for (;;) {
    const { value, done } = await iterator.next();
    if (done) return;
    yield value;
  }
}
