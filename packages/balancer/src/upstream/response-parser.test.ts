import { describe, expect, it } from 'vitest';
import { ResponseParser, type ResponseHead } from './response-parser.js';

interface Parsed {
  informational: number[];
  head?: ResponseHead;
  body: string;
  ended: boolean;
  upgrade?: { head: ResponseHead; rest: string };
}

/** Feeds `chunks` (strings, latin1) to a parser for a request of `method`. */
function parse(chunks: string[], method = 'GET', finish = false): Parsed {
  const parsed: Parsed = { informational: [], body: '', ended: false };
  const parser = new ResponseParser({
    informational: (status) => parsed.informational.push(status),
    head: (head) => (parsed.head = head),
    data: (chunk) => (parsed.body += chunk.toString('latin1')),
    end: () => (parsed.ended = true),
    upgrade: (head, rest) => (parsed.upgrade = { head, rest: rest.toString('latin1') }),
  });
  parser.reset(method);
  for (const chunk of chunks) parser.execute(Buffer.from(chunk, 'latin1'));
  if (finish) parser.finish();
  return parsed;
}

/** Every way of cutting `text` in two, so a boundary can fall anywhere. */
function splits(text: string): string[][] {
  return Array.from({ length: text.length - 1 }, (_, i) => [
    text.slice(0, i + 1),
    text.slice(i + 1),
  ]);
}

describe('ResponseParser', () => {
  it('reads a Content-Length response in one chunk or split anywhere', () => {
    const text =
      'HTTP/1.1 200 OK\r\nContent-Length: 5\r\nX-A: 1\r\nSet-Cookie: a=1\r\nSet-Cookie: b=2\r\n\r\nhello';
    for (const chunks of [[text], ...splits(text)]) {
      const parsed = parse(chunks);
      expect(parsed.head).toMatchObject({ status: 200, statusMessage: 'OK', keepAlive: true });
      expect(parsed.head!.headers).toEqual({
        'content-length': '5',
        'x-a': '1',
        'set-cookie': ['a=1', 'b=2'],
      });
      expect(parsed).toMatchObject({ body: 'hello', ended: true });
    }
  });

  it('reads a chunked body with extensions and trailers, split anywhere', () => {
    const text =
      'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n' +
      '5;name=value\r\nhello\r\n1\r\n \r\nA\r\n0123456789\r\n0\r\nX-Trailer: t\r\n\r\n';
    for (const chunks of [[text], ...splits(text)]) {
      expect(parse(chunks)).toMatchObject({ body: 'hello 0123456789', ended: true });
    }
  });

  it('knows the responses without a body: HEAD, 204 and 304', () => {
    expect(parse(['HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n'], 'HEAD')).toMatchObject({
      body: '',
      ended: true,
    });
    expect(parse(['HTTP/1.1 204 No Content\r\n\r\n'])).toMatchObject({ ended: true });
    expect(parse(['HTTP/1.1 304 Not Modified\r\nContent-Length: 3\r\n\r\n'])).toMatchObject({
      ended: true,
    });
  });

  it('reads a body without a length until the connection closes, and keeps no connection', () => {
    const parsed = parse(['HTTP/1.1 200 OK\r\n\r\nall ', 'of it'], 'GET', true);
    expect(parsed).toMatchObject({ body: 'all of it', ended: true });
    expect(parsed.head!.keepAlive).toBe(false);
  });

  it('passes 1xx heads before the final one', () => {
    const parsed = parse([
      'HTTP/1.1 103 Early Hints\r\nLink: </a>; rel=preload\r\n\r\n' +
        'HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok',
    ]);
    expect(parsed.informational).toEqual([103]);
    expect(parsed).toMatchObject({ body: 'ok', ended: true });
  });

  it('hands the bytes after a 101 to the new protocol', () => {
    const parsed = parse([
      'HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n\r\n\x81\x02hi',
    ]);
    expect(parsed.upgrade).toMatchObject({ head: { status: 101 }, rest: '\x81\x02hi' });
  });

  it('reads the keep-alive of a response: close, HTTP/1.0, and the Keep-Alive timeout', () => {
    const closing = parse(['HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 0\r\n\r\n']);
    expect(closing.head!.keepAlive).toBe(false);
    const old = parse(['HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n']);
    expect(old.head!.keepAlive).toBe(false);
    const hinted = parse([
      'HTTP/1.1 200 OK\r\nKeep-Alive: timeout=5, max=100\r\nContent-Length: 0\r\n\r\n',
    ]);
    expect(hinted.head).toMatchObject({ keepAlive: true, keepAliveTimeoutMs: 5000 });
  });

  it('accepts a Content-Length repeated with the same value', () => {
    const parsed = parse([
      'HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 2, 2\r\n\r\nok',
    ]);
    expect(parsed).toMatchObject({ body: 'ok', ended: true });
  });

  const invalid: [string, string][] = [
    ['a status line that is not HTTP/1.x', 'HTTP/2 200 OK\r\n\r\n'],
    ['a three-digit status it is not', 'HTTP/1.1 20 OK\r\n\r\n'],
    [
      'both Content-Length and Transfer-Encoding',
      'HTTP/1.1 200 OK\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n',
    ],
    [
      'differing Content-Lengths',
      'HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n',
    ],
    ['a Content-Length that is not digits', 'HTTP/1.1 200 OK\r\nContent-Length: +5\r\n\r\n'],
    ['a coding other than chunked', 'HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\n'],
    [
      'chunked that is not the only coding',
      'HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n\r\n',
    ],
    ['obs-fold', 'HTTP/1.1 200 OK\r\nX-A: 1\r\n 2\r\nContent-Length: 0\r\n\r\n'],
    ['a header name that is not a token', 'HTTP/1.1 200 OK\r\nX A: 1\r\n\r\n'],
    ['a header line without a colon', 'HTTP/1.1 200 OK\r\nnocolon\r\n\r\n'],
    ['a bare LF inside a value', 'HTTP/1.1 200 OK\r\nX-A: 1\nInjected: 2\r\n\r\n'],
    ['a control character in a value', 'HTTP/1.1 200 OK\r\nX-A: 1\x00\r\n\r\n'],
    ['a chunk size that is not hex', 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n'],
    [
      'a chunk longer than its size',
      'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1\r\nab\r\n',
    ],
    ['bytes after the end', 'HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nab'],
    ['a head over 16 KiB', `HTTP/1.1 200 OK\r\nX-A: ${'a'.repeat(17 * 1024)}\r\n\r\n`],
  ];
  for (const [what, text] of invalid) {
    it(`calls ${what} invalid`, () => {
      expect(() => parse([text])).toThrow(expect.objectContaining({ reason: 'invalid' }));
    });
  }

  it('calls a response cut short a closed connection, not a complete one', () => {
    expect(() =>
      parse(['HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nshort'], 'GET', true),
    ).toThrow(expect.objectContaining({ reason: 'closed' }));
    expect(() => parse([], 'GET', true)).toThrow(expect.objectContaining({ reason: 'closed' }));
  });
});
