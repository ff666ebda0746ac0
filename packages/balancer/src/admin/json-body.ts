import type { IncomingMessage } from 'node:http';
import { InvalidOptionError } from '@koa-fleet/errors';

/** More than any backend change needs; a larger body is refused before it is read whole. */
const MAX_BODY_BYTES = 64 * 1024;

/** The request's JSON body; an InvalidOptionError naming `body` when it is not JSON or too big. */
export async function readJsonBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) {
      throw new InvalidOptionError('body', `JSON of at most ${MAX_BODY_BYTES} bytes`, `more`);
    }
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new InvalidOptionError('body', 'JSON', text.length > 80 ? `${text.slice(0, 80)}…` : text);
  }
}
