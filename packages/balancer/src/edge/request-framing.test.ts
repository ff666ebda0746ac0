import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { framingError } from './request-framing.js';

/** What framingError reads of a request: headers as Node joins them, and each line apart. */
function request(lines: [string, string][], httpVersion = '1.1') {
  const headers: Record<string, string> = {};
  const headersDistinct: Record<string, string[]> = {};
  for (const [name, value] of lines) {
    headers[name] = name in headers ? `${headers[name]}, ${value}` : value;
    (headersDistinct[name] ??= []).push(value);
  }
  return { headers, headersDistinct, httpVersion } as unknown as IncomingMessage;
}

describe('framingError (RFC 9112 rules Node leaves to the server)', () => {
  it('passes plain chunked and Content-Length requests', () => {
    expect(framingError(request([['transfer-encoding', 'chunked']]))).toBeUndefined();
    expect(framingError(request([['transfer-encoding', 'Chunked']]))).toBeUndefined();
    expect(framingError(request([['content-length', '5']]))).toBeUndefined();
    expect(framingError(request([['host', 'a']]))).toBeUndefined();
  });

  it('refuses a second Host line (§3.2)', () => {
    const error = framingError(
      request([
        ['host', 'a'],
        ['host', 'b'],
      ]),
    );
    expect(error).toMatchObject({ status: 400, code: 'KF_BALANCER_BAD_REQUEST' });
    expect(error!.message).toBe('the request cannot be forwarded: more than one Host header');
  });

  it('refuses Transfer-Encoding in HTTP/1.0 and one whose last coding is not chunked (§6.1, §6.3)', () => {
    expect(framingError(request([['transfer-encoding', 'chunked']], '1.0'))).toMatchObject({
      status: 400,
    });
    for (const value of ['', ' , ', 'gzip', 'chunked, gzip']) {
      expect(framingError(request([['transfer-encoding', value]])), value).toMatchObject({
        status: 400,
      });
    }
  });

  it('answers 501 to a coding before chunked, which it cannot decode (§6.1)', () => {
    expect(
      framingError(
        request([
          ['transfer-encoding', 'gzip'],
          ['transfer-encoding', 'chunked'],
        ]),
      ),
    ).toMatchObject({ status: 501, code: 'KF_BALANCER_TRANSFER_CODING' });
  });
});
