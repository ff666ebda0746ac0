import { connect } from 'node:net';
import { httpRequest } from '@koa-fleet/testkit';
import { describe, expect, it } from 'vitest';
import type { ProxyErrorEvent } from '@koa-fleet/balancer';
import { useTestServers } from './support/test-servers.js';

const servers = useTestServers();
const json = { accept: 'application/json' };

describe('error answers and timeouts', () => {
  it('answers 502 when the backend refuses, in JSON for a client that accepts it', async () => {
    const gone = await servers.backend('gone');
    await gone.close();
    const balancer = await servers.balancer({ backends: [gone.url] });
    const reply = await httpRequest(balancer.url, { headers: json });
    expect(reply.status).toBe(502);
    expect(reply.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(reply.json()).toEqual({
      error: 'Bad Gateway',
      code: 'KF_BALANCER_UPSTREAM_REFUSED',
      message: 'The server behind this proxy did not answer properly.',
      requestId: reply.headers['x-request-id'],
    });
    // Nothing of the backend (its address, the error's text) reaches the client.
    expect(reply.body).not.toContain(String(gone.port));
  });

  it('answers in plain text for a client that does not ask for JSON', async () => {
    const gone = await servers.backend('gone');
    await gone.close();
    const balancer = await servers.balancer({ backends: [gone.url] });
    const reply = await httpRequest(balancer.url, { headers: { accept: 'text/html' } });
    expect(reply.status).toBe(502);
    expect(reply.body).toBe(
      '502 Bad Gateway: The server behind this proxy did not answer properly.\n',
    );
  });

  it('answers 504 when the backend sends no headers within timeouts.headers', async () => {
    const silent = await servers.backend('silent', () => {});
    const balancer = await servers.balancer({
      backends: [silent.url],
      timeouts: { headers: '200ms' },
    });
    const errors: ProxyErrorEvent[] = [];
    balancer.on('proxy-error', (event) => errors.push(event));
    const reply = await httpRequest(balancer.url, { headers: json });
    expect(reply.status).toBe(504);
    expect(reply.json()).toMatchObject({ code: 'KF_BALANCER_UPSTREAM_TIMEOUT' });
    expect(errors.map(({ error }) => error.message)).toEqual([
      `backend ${silent.url} timed out (headers timeout)`,
    ]);
  });

  it('answers 504 once timeouts.total is over, retries included', async () => {
    const silent = await servers.backend('silent', () => {});
    const balancer = await servers.balancer({ backends: [silent.url], timeouts: { total: 200 } });
    expect((await httpRequest(balancer.url)).status).toBe(504);
    expect(balancer.backends[0]!.state).toBe('up');
  });

  it('cuts a response short when the backend stalls mid-body past timeouts.idle', async () => {
    const stalls = await servers.backend('stalls', (_req, res) => {
      res.writeHead(200, { 'content-length': '10' });
      res.write('12345');
    });
    const balancer = await servers.balancer({ backends: [stalls.url], timeouts: { idle: 200 } });
    await expect(httpRequest(balancer.url)).rejects.toThrow(/aborted|socket hang up|ECONNRESET/);
  });

  it('answers 503 with Retry-After when no backend is available', async () => {
    const draining = await servers.backend('draining', (_req, res) => {
      res.setHeader('fleet-draining', '1');
      res.end('bye');
    });
    const other = await servers.backend('other', (_req, res) => {
      res.setHeader('fleet-draining', '1');
      res.end('bye');
    });
    const balancer = await servers.balancer({
      backends: [draining.url, other.url],
      retryAfter: '5s',
    });
    await httpRequest(balancer.url);
    await httpRequest(balancer.url);
    const reply = await httpRequest(balancer.url, { headers: json });
    expect(reply.status).toBe(503);
    expect(reply.headers['retry-after']).toBe('5');
    expect(reply.json()).toMatchObject({ code: 'KF_BALANCER_NO_BACKEND' });
  });

  it('answers 400 to a request target that is not a path', async () => {
    const backend = await servers.backend('a');
    const balancer = await servers.balancer({ backends: [backend.url] });
    // Node's client cannot send `OPTIONS *`; a raw socket can.
    const raw = await new Promise<string>((resolve, reject) => {
      const { port } = new URL(balancer.url);
      const socket = connect(Number(port), '127.0.0.1', () =>
        socket.end('OPTIONS * HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'),
      );
      let text = '';
      socket.on('data', (chunk) => (text += chunk));
      socket.on('end', () => resolve(text));
      socket.on('error', reject);
    });
    expect(raw).toMatch(/^HTTP\/1\.1 400 Bad Request/);
    expect(backend.seen).toEqual([]);
  });
});
