import { connect, type Socket } from 'node:net';
import { httpRequest, rawRequest, waitFor } from '@koa-fleet/testkit';
import { describe, expect, it } from 'vitest';
import { useTestServers } from './support/test-servers.js';
import { echoWebSockets, openWebSocket } from './support/websocket.js';

const servers = useTestServers();

async function webSocketBackend(name: string) {
  const backend = await servers.backend(name);
  echoWebSockets(backend.server, name);
  return backend;
}

const handshake = (lines: string[] = []) =>
  [
    'GET /chat HTTP/1.1',
    'Host: x',
    'Connection: Upgrade',
    'Upgrade: websocket',
    'Sec-WebSocket-Version: 13',
    'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==',
    ...lines,
  ].join('\r\n') + '\r\n\r\n';

describe('WebSocket / Upgrade pass-through', () => {
  it('echoes through the balancer both ways, each socket balanced like a request', async () => {
    const [a, b] = await Promise.all([webSocketBackend('a'), webSocketBackend('b')]);
    const balancer = await servers.balancer({ backends: [{ url: a.url, weight: 3 }, b.url] });
    const sockets = await Promise.all(
      Array.from({ length: 4 }, () => openWebSocket(`${balancer.url}/chat`)),
    );
    expect(sockets.map((ws) => ws.headers['x-backend'])).toEqual(['a', 'a', 'b', 'a']);
    expect(sockets[0]!.headers.via).toBe('1.1 koa-fleet');
    for (const [index, ws] of sockets.entries()) {
      ws.send(`hello ${index}`);
      ws.send('again');
      expect([await ws.next(), await ws.next()]).toEqual([
        `${String(ws.headers['x-backend'])}: hello ${index}`,
        `${String(ws.headers['x-backend'])}: again`,
      ]);
    }
    await Promise.all(sockets.map((ws) => ws.close()));
    await waitFor('the tunnels closed', () => a.openSockets() + b.openSockets() === 0);
  });

  it('sends the backend the forwarding headers and the upgrade it asked for', async () => {
    const seen: Record<string, string | string[] | undefined>[] = [];
    const backend = await webSocketBackend('a');
    backend.server.prependListener('upgrade', (req) => seen.push(req.headers));
    const balancer = await servers.balancer({ backends: [backend.url] });
    const ws = await openWebSocket(`${balancer.url}/chat`);
    expect(seen[0]).toMatchObject({
      connection: 'upgrade',
      upgrade: 'websocket',
      'sec-websocket-version': '13',
      'x-forwarded-for': '127.0.0.1',
      'x-forwarded-proto': 'http',
      via: '1.1 koa-fleet',
    });
    await ws.close();
  });

  it('counts an open tunnel as a request in flight, for least-conn and maxConns', async () => {
    const [a, b] = await Promise.all([webSocketBackend('a'), webSocketBackend('b')]);
    const balancer = await servers.balancer({
      backends: [{ url: a.url, maxConns: 1 }, b.url],
      strategy: 'least-conn',
    });
    const ws = await openWebSocket(balancer.url);
    const busy = balancer.backends.find((backend) => backend.active === 1)!;
    expect(busy).toBeDefined();
    // The other backend is idle: least-conn sends the next requests there.
    const names = new Set<string>();
    for (let i = 0; i < 4; i++) {
      names.add((await httpRequest(balancer.url)).json<{ backend: string }>().backend);
    }
    expect(names).toEqual(new Set([busy.url === a.url ? 'b' : 'a']));
    await ws.close();
    await waitFor('the backend freed', () => balancer.backends.every((x) => x.active === 0));
  });

  for (const how of ['closes its socket', 'resets its connection'] as const) {
    it(`leaves no upstream socket when a client vanishes (it ${how})`, async () => {
      const backend = await webSocketBackend('a');
      const balancer = await servers.balancer({ backends: [backend.url] });
      const ws = await openWebSocket(balancer.url);
      ws.send('hi');
      await ws.next();
      expect(backend.openSockets()).toBe(1);
      if (how === 'closes its socket') ws.socket.destroy();
      else (ws.socket as Socket).resetAndDestroy();
      await waitFor('the upstream socket closed', () => backend.openSockets() === 0);
      await waitFor('the backend freed', () => balancer.backends[0]!.active === 0);
      expect((await httpRequest(balancer.url)).status).toBe(200);
    });
  }

  it("closes the client's socket when the backend drops the tunnel", async () => {
    const backend = await webSocketBackend('a');
    const balancer = await servers.balancer({ backends: [backend.url] });
    const ws = await openWebSocket(balancer.url);
    const closed = new Promise((resolve) => ws.socket.once('close', resolve));
    await backend.close(); // destroys the backend's side of every connection
    await closed;
    await waitFor('the backend freed', () => balancer.backends[0]!.active === 0);
  });

  it('passes a refused upgrade on to the client as the answer, then closes both connections', async () => {
    const backend = await servers.backend('plain', (_req, res) => {
      res.writeHead(426, { 'content-type': 'text/plain', upgrade: 'websocket' });
      res.end('upgrade somewhere else');
    });
    const balancer = await servers.balancer({
      backends: [backend.url],
      keepAlive: { idleTimeout: '200ms' },
    });
    const reply = await rawRequest(balancer.url, [handshake()]);
    expect(reply.status).toBe(426);
    expect(reply.text).toMatch(/\r\nconnection: close\r\n/i);
    expect(reply.text.endsWith('\r\n\r\nupgrade somewhere else')).toBe(true);
    expect(reply.closedByServer).toBe(true);
    await waitFor('no upstream socket left', () => backend.openSockets() === 0);
    expect(balancer.backends[0]!.active).toBe(0);
  });

  it('survives a client that resets while a refusal is on its way (node-http-proxy #1468)', async () => {
    const backend = await servers.backend('plain', (req, res) => {
      if (!req.headers.upgrade) return void res.end('plain');
      res.writeHead(404, { 'content-length': '100' });
      res.write('not here'); // and the rest never comes
    });
    const balancer = await servers.balancer({
      backends: [backend.url],
      keepAlive: { idleTimeout: '200ms' },
    });
    await new Promise<void>((resolve) => {
      const { port } = new URL(balancer.url);
      const socket = connect(Number(port), '127.0.0.1', () => socket.write(handshake()));
      socket.on('error', () => {});
      socket.once('data', () => {
        socket.resetAndDestroy();
        resolve();
      });
    });
    await waitFor('no upstream socket left', () => backend.openSockets() === 0);
    await waitFor('the backend freed', () => balancer.backends[0]!.active === 0);
    expect((await httpRequest(balancer.url)).body).toBe('plain');
  });

  it('answers 502 on the raw socket when the backend refuses the connection, 503 when none is up', async () => {
    const gone = await servers.backend('gone');
    await gone.close();
    const balancer = await servers.balancer({ backends: [gone.url] });
    const refused = await rawRequest(balancer.url, [handshake(['Accept: application/json'])]);
    expect(refused.status).toBe(502);
    expect(refused.text).toContain('"code":"KF_BALANCER_UPSTREAM_REFUSED"');
    expect(refused.closedByServer).toBe(true);

    const drains = (
      _req: unknown,
      res: { setHeader(n: string, v: string): void; end(b: string): void },
    ) => {
      res.setHeader('fleet-draining', '1');
      res.end('bye');
    };
    const draining = await Promise.all([
      servers.backend('d1', drains),
      servers.backend('d2', drains),
    ]);
    const drained = await servers.balancer({ backends: draining.map((backend) => backend.url) });
    await httpRequest(drained.url);
    await httpRequest(drained.url); // both out of rotation now
    const none = await rawRequest(drained.url, [handshake()]);
    expect(none.status).toBe(503);
    expect(none.text).toMatch(/\r\nretry-after: 1\r\n/i);
  });

  it('refuses an upgrade with ambiguous framing as it refuses a request', async () => {
    const backend = await webSocketBackend('a');
    const balancer = await servers.balancer({ backends: [backend.url] });
    const reply = await rawRequest(balancer.url, [handshake(['Host: other'])]);
    expect(reply.status).toBe(400);
    expect(reply.closedByServer).toBe(true);
    expect(backend.openSockets()).toBe(0);
  });

  it('aborts the upstream handshake of a client that leaves before the 101', async () => {
    const backend = await servers.backend('slow');
    let upgrades = 0;
    backend.server.on('upgrade', (_req, socket: Socket) => {
      upgrades++;
      socket.on('error', () => {});
      socket.on('end', () => socket.end()); // and never answers
    });
    // The default idle timeout (4 s) outlasts the test: the socket closes because it was aborted.
    const balancer = await servers.balancer({ backends: [backend.url] });
    await rawRequest(balancer.url, [handshake(), 200], { timeout: 0 });
    expect(upgrades).toBe(1);
    await waitFor('the upstream socket closed', () => backend.openSockets() === 0);
    await waitFor('the backend freed', () => balancer.backends[0]!.active === 0);
  });

  it('closes open tunnels when the balancer closes', async () => {
    const backend = await webSocketBackend('a');
    const balancer = await servers.balancer({ backends: [backend.url], grace: '100ms' });
    const ws = await openWebSocket(balancer.url);
    const closed = new Promise((resolve) => ws.socket.once('close', resolve));
    await balancer.close();
    await closed;
    await waitFor('the upstream socket closed', () => backend.openSockets() === 0);
  });
});
