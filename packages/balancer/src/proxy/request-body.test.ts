import type { IncomingMessage } from 'node:http';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { readRequestBody } from './request-body.js';

/** A request body as chunks, with the framing header a client would send. */
function incoming(chunks: string[], headers: Record<string, string>): IncomingMessage {
  return Object.assign(Readable.from(chunks.map((chunk) => Buffer.from(chunk))), {
    headers,
  }) as unknown as IncomingMessage;
}

async function text(stream: Readable): Promise<string> {
  let all = '';
  for await (const chunk of stream) all += String(chunk);
  return all;
}

describe('readRequestBody', () => {
  it('has no body without Content-Length or Transfer-Encoding', async () => {
    expect(await readRequestBody(incoming([], {}), 10)).toEqual({ replayable: true, data: null });
  });

  it('buffers a body that fits the limit, so a retry can send it again', async () => {
    const body = await readRequestBody(incoming(['ab', 'cd'], { 'content-length': '4' }), 4);
    expect(body).toEqual({ replayable: true, data: Buffer.from('abcd') });
  });

  it('streams a body whose Content-Length is over the limit, without reading it', async () => {
    const req = incoming(['abcdef'], { 'content-length': '6' });
    const body = await readRequestBody(req, 4);
    expect(body).toEqual({ replayable: false, stream: req });
  });

  it('streams a chunked body once it outgrows the limit, the bytes read so far first', async () => {
    const req = incoming(['ab', 'cd', 'ef', 'gh'], { 'transfer-encoding': 'chunked' });
    const body = await readRequestBody(req, 3);
    expect(body.replayable).toBe(false);
    expect(await text((body as { stream: Readable }).stream)).toBe('abcdefgh');
  });

  it('rejects a body being buffered once it grows over maxBodySize', async () => {
    const req = incoming(['ab', 'cd', 'ef'], { 'transfer-encoding': 'chunked' });
    const size = { maxBodySize: 3, exceeded: () => {} };
    await expect(readRequestBody(req, 10, size)).rejects.toMatchObject({
      status: 413,
      code: 'KF_BALANCER_BODY_TOO_LARGE',
    });
  });

  it('fails a streamed body once it grows over maxBodySize, saying so first', async () => {
    const req = incoming(['ab', 'cd', 'ef', 'gh'], { 'transfer-encoding': 'chunked' });
    const exceeded: unknown[] = [];
    const body = await readRequestBody(req, 3, {
      maxBodySize: 6,
      exceeded: (error) => exceeded.push(error),
    });
    await expect(text((body as { stream: Readable }).stream)).rejects.toMatchObject({
      status: 413,
    });
    expect(exceeded).toHaveLength(1);
  });
});
