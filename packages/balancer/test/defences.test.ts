import { request } from 'node:http';
import { httpRequest, rawRequest, trickle, waitFor } from '@koa-fleet/testkit';
import { describe, expect, it } from 'vitest';
import type { BalancerConfig } from '@koa-fleet/balancer';
import { useTestServers, type TestBackend } from './support/test-servers.js';

const servers = useTestServers();

/**
 * A short keep-alive idle timeout: the request that shows the balancer still answers leaves its
 * pooled connection open, closed when idle this long. A socket still carrying a request is not
 * idle, so "back to none" still proves no upstream request was left behind.
 */
async function setUp(config: Partial<BalancerConfig> = {}) {
  const backend = await servers.backend('a');
  const balancer = await servers.balancer({
    backends: [backend.url],
    keepAlive: { idleTimeout: '200ms' },
    ...config,
  });
  return { backend, balancer };
}

/** After an attack the balancer still answers, and the backend's connections are back to none. */
async function stillHealthy(url: string, backend: TestBackend): Promise<void> {
  await waitFor('upstream sockets back to none', () => backend.openSockets() === 0);
  expect((await httpRequest(url)).status).toBe(200);
}

const head = (lines: string[]) => `${lines.join('\r\n')}\r\n\r\n`;

describe('ambiguous framing (RFC 9112) is refused with 400 and a closed connection', () => {
  const cases: [string, string][] = [
    [
      'Content-Length with Transfer-Encoding (CL.TE smuggling)',
      head(['POST / HTTP/1.1', 'Host: x', 'Content-Length: 6', 'Transfer-Encoding: chunked']) +
        '0\r\n\r\nG',
    ],
    [
      'Transfer-Encoding with Content-Length (TE.CL smuggling)',
      head(['POST / HTTP/1.1', 'Host: x', 'Transfer-Encoding: chunked', 'Content-Length: 3']) +
        '8\r\nSMUGGLED\r\n0\r\n\r\n',
    ],
    [
      'two differing Content-Length lines',
      head(['POST / HTTP/1.1', 'Host: x', 'Content-Length: 5', 'Content-Length: 6']) + 'hello!',
    ],
    [
      'a Content-Length list',
      head(['POST / HTTP/1.1', 'Host: x', 'Content-Length: 5, 6']) + 'hello!',
    ],
    [
      'an invalid Content-Length',
      head(['POST / HTTP/1.1', 'Host: x', 'Content-Length: +5']) + 'hello',
    ],
    ['obs-fold', head(['GET / HTTP/1.1', 'Host: x', 'X-Folded: one', ' two'])],
    [
      'a Transfer-Encoding not ending in chunked',
      head(['POST / HTTP/1.1', 'Host: x', 'Transfer-Encoding: chunked, gzip']) + '0\r\n\r\n',
    ],
    [
      'a Transfer-Encoding of one other coding',
      head(['POST / HTTP/1.1', 'Host: x', 'Transfer-Encoding: gzip']) + 'hello',
    ],
    [
      'an empty Transfer-Encoding',
      head(['POST / HTTP/1.1', 'Host: x', 'Transfer-Encoding: ']) + '5\r\nhello\r\n0\r\n\r\n',
    ],
    [
      'Transfer-Encoding in an HTTP/1.0 request',
      head(['POST / HTTP/1.0', 'Host: x', 'Transfer-Encoding: chunked']) +
        '5\r\nhello\r\n0\r\n\r\n',
    ],
    ['two Host lines', head(['GET / HTTP/1.1', 'Host: shop.example', 'Host: admin.internal'])],
  ];

  for (const [name, raw] of cases) {
    it(name, async () => {
      const { backend, balancer } = await setUp();
      const reply = await rawRequest(balancer.url, [raw]);
      expect(reply.status, reply.text).toBe(400);
      expect(reply.closedByServer).toBe(true);
      expect(backend.seen).toEqual([]);
      await stillHealthy(balancer.url, backend);
    });
  }

  it('answers 501 to a transfer coding before chunked, which it cannot decode', async () => {
    const { backend, balancer } = await setUp();
    const reply = await rawRequest(balancer.url, [
      head([
        'POST / HTTP/1.1',
        'Host: x',
        'Transfer-Encoding: gzip, chunked',
        'Accept: application/json',
      ]) + '0\r\n\r\n',
    ]);
    expect(reply.status).toBe(501);
    expect(reply.text).toContain('"code":"KF_BALANCER_TRANSFER_CODING"');
    expect(reply.closedByServer).toBe(true);
    expect(backend.seen).toEqual([]);
    await stillHealthy(balancer.url, backend);
  });
});

describe('size limits', () => {
  it('answers 431 to headers over client.maxHeaderSize', async () => {
    const { backend, balancer } = await setUp({ client: { maxHeaderSize: '2kb' } });
    const reply = await rawRequest(balancer.url, [
      head(['GET / HTTP/1.1', 'Host: x', `X-Big: ${'a'.repeat(4096)}`]),
    ]);
    expect(reply.status).toBe(431);
    expect(reply.closedByServer).toBe(true);
    expect(backend.seen).toEqual([]);
    await stillHealthy(balancer.url, backend);
  });

  it('answers 413 to a Content-Length over client.maxBodySize, without reading the body', async () => {
    const { backend, balancer } = await setUp({ client: { maxBodySize: 1000 } });
    const reply = await rawRequest(balancer.url, [
      head(['POST / HTTP/1.1', 'Host: x', 'Content-Length: 1001']),
    ]);
    expect(reply.status).toBe(413);
    expect(reply.text).toMatch(/\r\nconnection: close\r\n/i);
    expect(reply.closedByServer).toBe(true);
    expect(backend.seen).toEqual([]);
    await stillHealthy(balancer.url, backend);
  });

  it('answers 413 to a chunked body that grows over client.maxBodySize while buffered', async () => {
    const { backend, balancer } = await setUp({ client: { maxBodySize: 1000 } });
    const chunk = `64\r\n${'x'.repeat(100)}\r\n`; // 100 bytes a chunk
    const reply = await rawRequest(balancer.url, [
      head(['POST / HTTP/1.1', 'Host: x', 'Transfer-Encoding: chunked']),
      ...trickle(chunk, 5, 40),
    ]);
    expect(reply.status).toBe(413);
    expect(reply.closedByServer).toBe(true);
    expect(backend.seen).toEqual([]);
    await stillHealthy(balancer.url, backend);
  });

  it('stops the upstream request of a streamed body once it grows over client.maxBodySize', async () => {
    const { backend, balancer } = await setUp({
      client: { maxBodySize: 1000 },
      retryBodyLimit: 100, // over it the body streams to the backend as it comes
    });
    const chunk = `64\r\n${'x'.repeat(100)}\r\n`;
    const reply = await rawRequest(balancer.url, [
      head(['POST / HTTP/1.1', 'Host: x', 'Transfer-Encoding: chunked']),
      ...trickle(chunk, 5, 40),
    ]);
    expect(reply.status).toBe(413);
    expect(reply.closedByServer).toBe(true);
    expect(backend.seen).toEqual([]); // it never saw the body end
    await stillHealthy(balancer.url, backend);
  });
});

describe('slow clients', () => {
  it('cuts off a client that sends its headers slowly (slowloris) after client.headersTimeout', async () => {
    const { backend, balancer } = await setUp({ client: { headersTimeout: '300ms' } });
    // 20 s of headers, a line every 100 ms: cut off long before the end.
    const reply = await rawRequest(balancer.url, [
      'GET / HTTP/1.1\r\nHost: x\r\n',
      ...trickle('X-Slow: 1\r\n', 100, 200),
      '\r\n',
    ]);
    expect(reply.status).toBe(408);
    expect(reply.closedByServer).toBe(true);
    expect(backend.seen).toEqual([]);
    await stillHealthy(balancer.url, backend);
  });

  it('cuts off a client that sends its body slowly after client.requestTimeout', async () => {
    const { backend, balancer } = await setUp({
      client: { headersTimeout: '300ms', requestTimeout: '600ms' },
    });
    const reply = await rawRequest(balancer.url, [
      head(['POST / HTTP/1.1', 'Host: x', 'Content-Length: 200']),
      ...trickle('x', 100, 200),
    ]);
    expect(reply.status).toBe(408);
    expect(reply.closedByServer).toBe(true);
    expect(backend.seen).toEqual([]);
    await stillHealthy(balancer.url, backend);
  });

  it('aborts the upstream request of a slow streamed body it cuts off', async () => {
    const { backend, balancer } = await setUp({
      client: { headersTimeout: '300ms', requestTimeout: '600ms' },
      retryBodyLimit: 10,
    });
    const reply = await rawRequest(balancer.url, [
      head(['POST / HTTP/1.1', 'Host: x', 'Content-Length: 200']),
      'x'.repeat(20), // over retryBodyLimit: the upstream request starts
      ...trickle('x', 100, 180),
    ]);
    expect(reply.status).toBe(408);
    expect(reply.closedByServer).toBe(true);
    await stillHealthy(balancer.url, backend);
    expect(balancer.backends[0]!.active).toBe(0);
  });
});

describe('a client that leaves', () => {
  it('aborts its upstream request while its body is still streaming, and frees the backend', async () => {
    const { backend, balancer } = await setUp({ retryBodyLimit: 10 });
    await new Promise<void>((resolve) => {
      const req = request(balancer.url, { method: 'PUT', headers: { 'content-length': '1000' } });
      req.on('error', () => {});
      req.write('x'.repeat(100));
      const opened = setInterval(() => {
        if (backend.openSockets() === 0) return;
        clearInterval(opened);
        req.destroy(); // gone halfway through its body
        resolve();
      }, 10);
    });
    await stillHealthy(balancer.url, backend);
    expect(balancer.backends[0]!.active).toBe(0);
  });
});
