import { createServer, type Server, type Socket } from 'node:net';
import { freePort, httpRequest, waitFor } from '@koa-fleet/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { useTestServers } from './support/test-servers.js';

const servers = useTestServers();
const CHUNKED = { 'transfer-encoding': 'chunked' };

/** A backend that writes raw bytes: `answer` gets each request head and the socket. */
interface RawBackend {
  url: string;
  connections: number;
  heads: string[];
}

const rawServers: { server: Server; sockets: Set<Socket> }[] = [];
afterEach(async () => {
  await Promise.all(
    rawServers.splice(0).map(({ server, sockets }) => {
      const closed = new Promise((resolve) => server.close(resolve));
      for (const socket of sockets) socket.destroy();
      return closed;
    }),
  );
});

async function rawBackend(
  answer: (socket: Socket, head: string, body: Buffer) => void,
): Promise<RawBackend> {
  const port = await freePort();
  const backend: RawBackend = { url: `http://127.0.0.1:${port}`, connections: 0, heads: [] };
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    backend.connections++;
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    let buffered = Buffer.alloc(0);
    socket.on('error', () => {});
    socket.on('data', (chunk: Buffer) => {
      buffered = Buffer.concat([buffered, chunk]);
      const end = buffered.indexOf('\r\n\r\n');
      if (end === -1) return;
      const head = buffered.toString('latin1', 0, end);
      const length = /\r\ncontent-length: (\d+)/i.exec(head);
      const body = buffered.subarray(end + 4);
      // Chunked bodies are checked whole by the test that sends one: wait for the last chunk.
      if (/transfer-encoding: chunked/i.test(head) && !body.includes('0\r\n\r\n')) return;
      if (length && body.length < Number(length[1])) return;
      buffered = Buffer.alloc(0);
      backend.heads.push(head);
      answer(socket, head, body);
    });
  });
  rawServers.push({ server, sockets });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return backend;
}

/** Writes `parts` one after another, each in its own write and a moment apart. */
async function writeSlowly(socket: Socket, parts: string[]): Promise<void> {
  for (const part of parts) {
    socket.write(part);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

describe('the upstream HTTP/1.1 client', () => {
  it('passes a chunked response written in pieces through whole, on one kept-alive connection', async () => {
    const backend = await rawBackend((socket) => {
      void writeSlowly(socket, [
        'HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\n\r\n',
        '5\r\nhello\r\n',
        '6\r\n world\r\n',
        '0\r\n\r\n',
      ]);
    });
    const balancer = await servers.balancer({ backends: [backend.url] });
    for (let i = 0; i < 3; i++) {
      const reply = await httpRequest(balancer.url);
      expect(reply).toMatchObject({ status: 200, body: 'hello world' });
    }
    expect(backend.connections).toBe(1);
  });

  it('reads a head split byte by byte', async () => {
    const response = 'HTTP/1.1 201 Created\r\nX-Made: yes\r\nContent-Length: 2\r\n\r\nok';
    const backend = await rawBackend((socket) => void writeSlowly(socket, [...response]));
    const balancer = await servers.balancer({ backends: [backend.url] });
    const reply = await httpRequest(balancer.url);
    expect(reply).toMatchObject({ status: 201, body: 'ok' });
    expect(reply.headers['x-made']).toBe('yes');
  });

  it('passes a body that ends with the connection, and opens a new connection after it', async () => {
    const backend = await rawBackend((socket) => {
      socket.end('HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\nuntil the end');
    });
    const balancer = await servers.balancer({ backends: [backend.url] });
    expect(await httpRequest(balancer.url)).toMatchObject({ status: 200, body: 'until the end' });
    expect(await httpRequest(balancer.url)).toMatchObject({ status: 200, body: 'until the end' });
    expect(backend.connections).toBe(2);
  });

  it('answers 502 to a response with both Content-Length and Transfer-Encoding, and drops its connection', async () => {
    let answers = 0;
    const backend = await rawBackend((socket) => {
      answers++;
      socket.write(
        answers === 1
          ? 'HTTP/1.1 200 OK\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n'
          : 'HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok',
      );
    });
    const balancer = await servers.balancer({ backends: [backend.url], nextUpstream: [] });
    const refused = await httpRequest(balancer.url, { headers: { accept: 'application/json' } });
    expect(refused.status).toBe(502);
    expect(JSON.parse(refused.body)).toMatchObject({ code: 'KF_BALANCER_UPSTREAM_INVALID' });
    expect(await httpRequest(balancer.url)).toMatchObject({ status: 200, body: 'ok' });
    expect(backend.connections).toBe(2);
  });

  it('does not reuse a connection the backend wrote past the end of its response on', async () => {
    const backend = await rawBackend((socket) => {
      socket.write('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nokHTTP/1.1 200 OK\r\n\r\n');
    });
    const balancer = await servers.balancer({ backends: [backend.url] });
    expect(await httpRequest(balancer.url)).toMatchObject({ status: 200, body: 'ok' });
    expect(await httpRequest(balancer.url)).toMatchObject({ status: 200, body: 'ok' });
    expect(backend.connections).toBe(2);
  });

  it('gives a request waiting for the connection none of the bytes written past the end of the response before', async () => {
    let answered = 0;
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    const backend = await rawBackend((socket) => {
      if (answered++ > 0) {
        socket.write('HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\nreal');
        return;
      }
      // One write: a whole response, then what would be a response to a request not yet sent.
      void released.then(() =>
        socket.write(
          'HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nfirstHTTP/1.1 200 OK\r\nContent-Length: 6\r\n\r\nforged',
        ),
      );
    });
    const balancer = await servers.balancer({
      backends: [backend.url],
      keepAlive: { connections: 1 },
    });
    const replies = [httpRequest(`${balancer.url}/one`), httpRequest(`${balancer.url}/two`)];
    // Both in flight, the second waiting for the only connection, before the backend answers.
    await waitFor('both requests dispatched', () => balancer.backends[0]!.active === 2);
    release();
    const bodies = (await Promise.all(replies)).map((reply) => `${reply.status} ${reply.body}`);
    expect(bodies.sort()).toEqual(['200 first', '200 real']);
    expect(backend.connections).toBe(2);
  });

  it('sends a body of unknown length chunked, and a buffered one with its exact length', async () => {
    const bodies: string[] = [];
    const backend = await rawBackend((socket, head, body) => {
      bodies.push(`${/transfer-encoding: chunked/i.test(head) ? 'chunked' : 'length'}:${body}`);
      socket.write('HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n');
    });
    const balancer = await servers.balancer({
      backends: [backend.url],
      retryBodyLimit: 4,
    });
    // Chunked from the client and longer than retryBodyLimit: streamed on, chunked again.
    const big = await httpRequest(balancer.url, {
      method: 'POST',
      body: 'a long body',
      headers: CHUNKED,
    });
    // Chunked but short: buffered (for a retry), then sent with its Content-Length.
    const small = await httpRequest(balancer.url, {
      method: 'POST',
      body: 'tiny',
      headers: CHUNKED,
    });
    expect([big.status, small.status]).toEqual([200, 200]);
    expect(bodies).toEqual(['chunked:b\r\na long body\r\n0\r\n\r\n', 'length:tiny']);
  });

  it('sends Content-Length: 0 with an empty POST, and a Host when the client sent none', async () => {
    const backend = await rawBackend((socket) => {
      socket.write('HTTP/1.1 204 No Content\r\n\r\n');
    });
    const balancer = await servers.balancer({ backends: [backend.url] });
    expect((await httpRequest(balancer.url, { method: 'POST' })).status).toBe(204);
    expect(backend.heads[0]).toMatch(/\r\ncontent-length: 0(\r\n|$)/);
    expect(backend.heads[0]).toMatch(/\r\nhost: /i);
  });
});
