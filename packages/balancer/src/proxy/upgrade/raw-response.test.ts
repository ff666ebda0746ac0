import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { endWithAnswer, responseHead } from './raw-response.js';

describe('raw responses (on a socket Node no longer frames)', () => {
  it('writes the status line, one line per header value, and the blank line', () => {
    expect(
      responseHead(101, undefined, {
        upgrade: 'websocket',
        connection: 'upgrade',
        'set-cookie': ['a=1', 'b=2'],
        skipped: undefined,
      }),
    ).toBe(
      'HTTP/1.1 101 Switching Protocols\r\nupgrade: websocket\r\nconnection: upgrade\r\n' +
        'set-cookie: a=1\r\nset-cookie: b=2\r\n\r\n',
    );
    expect(responseHead(426, 'Go Away', {})).toBe('HTTP/1.1 426 Go Away\r\n\r\n');
  });

  it('ends the socket with an error answer, then destroys it', async () => {
    const socket = new PassThrough();
    let written = '';
    socket.on('data', (chunk: Buffer) => (written += chunk));
    endWithAnswer(socket, {
      status: 503,
      headers: { 'content-length': 2, connection: 'close' },
      body: 'no',
    });
    await new Promise((resolve) => socket.once('close', resolve));
    expect(written).toBe(
      'HTTP/1.1 503 Service Unavailable\r\ncontent-length: 2\r\nconnection: close\r\n\r\nno',
    );
  });
});
