import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { httpRequest, waitFor } from '@koa-fleet/testkit';
import { describe, expect, it } from 'vitest';
import { useTestServers, type SeenRequest } from './support/test-servers.js';

const servers = useTestServers();

async function seenThrough(
  config: Parameters<typeof servers.balancer>[0] extends infer C ? Partial<C> : never,
  headers: Record<string, string> = {},
): Promise<SeenRequest['headers']> {
  const backend = await servers.backend('a');
  const balancer = await servers.balancer({ backends: [backend.url], ...config });
  await httpRequest(`${balancer.url}/path?q=1`, { headers });
  expect(backend.seen[0]!.url).toBe('/path?q=1');
  return backend.seen[0]!.headers;
}

describe('headers on the way to the backend', () => {
  it('replaces the forwarding headers a client sent, since any client can forge them', async () => {
    const headers = await seenThrough(
      {},
      {
        'x-forwarded-for': '6.6.6.6',
        'x-forwarded-proto': 'https',
        'x-forwarded-host': 'evil.example',
        forwarded: 'for=6.6.6.6',
        host: 'shop.example',
      },
    );
    expect(headers).toMatchObject({
      host: 'shop.example',
      'x-forwarded-for': '127.0.0.1',
      'x-forwarded-proto': 'http',
      'x-forwarded-host': 'shop.example',
      forwarded: 'for=127.0.0.1;host=shop.example;proto=http',
      via: '1.1 koa-fleet',
    });
  });

  it('appends to the forwarding headers of a trusted proxy, on one X-Forwarded-For line', async () => {
    const backend = await servers.backend('a');
    const balancer = await servers.balancer({ backends: [backend.url], trustProxy: ['loopback'] });
    // Two X-Forwarded-For lines from the hop before: they become one, with this hop appended.
    await new Promise<void>((resolve, reject) => {
      const req = request(balancer.url, {
        headers: [
          'Host',
          'app.example',
          'X-Forwarded-For',
          '203.0.113.7',
          'X-Forwarded-For',
          '10.0.0.2',
          'X-Forwarded-Proto',
          'https',
          'Forwarded',
          'for=203.0.113.7;proto=https',
          'Via',
          '1.1 edge',
        ],
      });
      req.on('response', (res) => res.resume().on('end', resolve));
      req.on('error', reject);
      req.end();
    });
    const { headers, rawHeaders } = backend.seen[0]!;
    expect(rawHeaders.filter((name) => name.toLowerCase() === 'x-forwarded-for')).toHaveLength(1);
    expect(headers).toMatchObject({
      'x-forwarded-for': '203.0.113.7, 10.0.0.2, 127.0.0.1',
      'x-forwarded-proto': 'https',
      forwarded: 'for=203.0.113.7;proto=https, for=127.0.0.1;host=app.example;proto=http',
      via: '1.1 edge, 1.1 koa-fleet',
    });
  });

  it('passes a request id on, and makes one when there is none', async () => {
    expect(await seenThrough({}, { 'x-request-id': 'abc-123' })).toMatchObject({
      'x-request-id': 'abc-123',
    });
    const made = (await seenThrough({}))['x-request-id'];
    expect(made).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('drops hop-by-hop headers and every header Connection names', async () => {
    const headers = await seenThrough(
      {},
      {
        connection: 'keep-alive, x-secret-hop',
        'keep-alive': 'timeout=5',
        'x-secret-hop': '1',
        te: 'trailers',
        'proxy-authorization': 'Basic Zm9vOmJhcg==',
        upgrade: 'websocket',
        'x-kept': 'yes',
      },
    );
    expect(headers['x-kept']).toBe('yes');
    for (const name of ['keep-alive', 'x-secret-hop', 'te', 'proxy-authorization', 'upgrade']) {
      expect(headers[name], name).toBeUndefined();
    }
  });
});

describe('headers on the way back', () => {
  it('drops hop-by-hop response headers and adds Via', async () => {
    const backend = await servers.backend('a', (_req, res) => {
      res.setHeader('connection', 'x-internal');
      res.setHeader('x-internal', 'secret');
      res.setHeader('proxy-authenticate', 'Basic');
      res.setHeader('set-cookie', ['a=1', 'b=2']);
      res.end('ok');
    });
    const balancer = await servers.balancer({ backends: [backend.url] });
    const reply = await httpRequest(balancer.url);
    expect(reply.body).toBe('ok');
    expect(reply.headers['x-internal']).toBeUndefined();
    expect(reply.headers['proxy-authenticate']).toBeUndefined();
    expect(reply.setCookies).toEqual(['a=1', 'b=2']);
    expect(reply.headers.via).toBe('1.1 koa-fleet');
  });

  it('streams a large upload and download through, both ways', async () => {
    const size = 8 * 1024 * 1024;
    const backend = await servers.backend('a', (req, res, seen) => {
      res.setHeader('x-received', String(seen.body.length));
      res.end(Buffer.alloc(size, 'y'));
    });
    const balancer = await servers.balancer({ backends: [backend.url] });
    const reply = await new Promise<{ received: string; bytes: number }>((resolve, reject) => {
      const req = request(balancer.url, { method: 'PUT' }, (res) => {
        let bytes = 0;
        res.on('data', (chunk: Buffer) => (bytes += chunk.length));
        res.on('end', () => resolve({ received: String(res.headers['x-received']), bytes }));
      });
      req.on('error', reject);
      // Chunked, in pieces: over retryBodyLimit, so it streams upstream.
      for (let sent = 0; sent < size; sent += 64 * 1024) req.write(Buffer.alloc(64 * 1024, 'x'));
      req.end();
    });
    expect(reply).toEqual({ received: String(size), bytes: size });
  });

  it('holds a backend back while its client does not read (back-pressure, no buffering)', async () => {
    const chunk = Buffer.alloc(64 * 1024, 'z');
    let written = 0;
    let stop = false;
    const backend = await servers.backend('a', (_req, res) => {
      const pump = () => {
        while (!stop && written < 512 * 1024 * 1024) {
          written += chunk.length;
          if (!res.write(chunk)) return void res.once('drain', pump);
        }
        res.end();
      };
      pump();
    });
    const balancer = await servers.balancer({ backends: [backend.url] });
    const { destroy } = await new Promise<{ destroy: () => void }>((resolve, reject) => {
      const req = request(balancer.url, (res) => {
        res.pause(); // a client that reads nothing
        resolve({ destroy: () => req.destroy() });
      });
      req.on('error', () => {});
      req.once('error', reject);
      req.end();
    });
    // Let the pipe fill: the backend writes until every buffer on the way is full, then waits.
    let before = -1;
    while (before !== written) {
      before = written;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(written).toBeLessThan(64 * 1024 * 1024);
    stop = true;
    destroy();
  });

  it('holds an uploading client back while its backend does not read (back-pressure upstream)', async () => {
    // A backend that takes the request and reads none of its body.
    const stalled = createServer(() => {});
    stalled.on('request', (req) => req.pause());
    await new Promise<void>((resolve) => stalled.listen(0, '127.0.0.1', resolve));
    const backendUrl = `http://127.0.0.1:${(stalled.address() as AddressInfo).port}`;
    const balancer = await servers.balancer({ backends: [backendUrl] });
    const chunk = Buffer.alloc(64 * 1024, 'u');
    const size = 100 * 1024 * 1024;
    let written = 0;
    const req = request(balancer.url, { method: 'POST' });
    req.on('error', () => {}); // cut at the end of the test
    const pump = () => {
      while (written < size) {
        written += chunk.length;
        if (!req.write(chunk)) return void req.once('drain', pump);
      }
      req.end();
    };
    pump();
    // Let the pipe fill: the client writes until every buffer on the way is full, then waits.
    let before = -1;
    while (before !== written) {
      before = written;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(written).toBeLessThan(64 * 1024 * 1024); // of 100 MB: nothing buffers it whole
    req.destroy();
    stalled.closeAllConnections();
    await new Promise((resolve) => stalled.close(resolve));
  });

  it('passes 103 Early Hints on before the final response', async () => {
    const backend = await servers.backend('a', (_req, res) => {
      res.writeEarlyHints({ link: '</app.css>; rel=preload; as=style' });
      res.end('page');
    });
    const balancer = await servers.balancer({ backends: [backend.url] });
    const seen = await new Promise<{ hints: string[]; body: string }>((resolve, reject) => {
      const hints: string[] = [];
      const req = request(balancer.url, (res) => {
        let body = '';
        res.on('data', (chunk: Buffer) => (body += chunk));
        res.on('end', () => resolve({ hints, body }));
      });
      req.on('information', (info) =>
        hints.push(`${info.statusCode} ${String(info.headers.link)}`),
      );
      req.on('error', reject);
      req.end();
    });
    expect(seen).toEqual({ hints: ['103 </app.css>; rel=preload; as=style'], body: 'page' });
  });

  it('aborts the upstream request when its client leaves, and frees the backend', async () => {
    let upstreamClosed!: () => void;
    const closed = new Promise<void>((resolve) => (upstreamClosed = resolve));
    const backend = await servers.backend('a', (_req, res) => {
      res.write('partial'); // and never ends
      res.on('close', () => upstreamClosed());
    });
    const balancer = await servers.balancer({ backends: [backend.url] });
    await new Promise<void>((resolve, reject) => {
      const req = request(balancer.url, (res) => {
        res.once('data', () => {
          req.destroy(); // the client goes away mid-response
          resolve();
        });
      });
      req.on('error', () => {});
      req.once('error', reject);
      req.end();
    });
    await closed;
    await waitFor('the backend freed', () => balancer.backends[0]!.active === 0);
  });
});
