import { Agent, createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { drainServer } from './drain.js';
import { RequestTracker } from './request-tracker.js';

function serve() {
  const server = createServer();
  const tracker = new RequestTracker();
  tracker.attach(server);
  server.on('request', (_req, res) => res.end('ok'));
  return new Promise<{ server: typeof server; tracker: RequestTracker; port: number }>((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({ server, tracker, port: (server.address() as AddressInfo).port }),
    ),
  );
}

function get(port: number, agent: Agent) {
  return new Promise<{ headers: Record<string, unknown>; reused: boolean }>((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, agent }, (res) => {
      res.resume();
      res.on('end', () => resolve({ headers: res.headers, reused: req.reusedSocket }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('drainServer', () => {
  it('keeps an idle keep-alive socket open through the drain window and answers on it with Connection: close', async () => {
    const { server, tracker, port } = await serve();
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    await get(port, agent); // leaves one idle keep-alive socket

    tracker.startDraining();
    const drained = drainServer(server, { drainWindow: 30_000, grace: 60_000 });
    const second = await get(port, agent);

    expect(second.reused).toBe(true); // the idle socket was not closed under the client
    expect(second.headers.connection).toBe('close');
    expect(second.headers['fleet-draining']).toBe('1');
    // The last connection closed after its response, so the drain ends before the window.
    await expect(drained).resolves.toBe('clean');
    expect(server.listening).toBe(false);
    agent.destroy();
  });

  it('closes sockets still idle after the window, and cuts in-flight ones after grace', async () => {
    const server = createServer((_req, _res) => {}); // never answers
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const arrived = new Promise<void>((resolve) => server.once('request', () => resolve()));
    const outcome = new Promise<string>((resolve) => {
      const req = request({ host: '127.0.0.1', port, agent: false });
      req.on('error', () => resolve('cut'));
      req.on('response', () => resolve('answered'));
      req.end();
    });
    await arrived;

    await expect(drainServer(server, { drainWindow: 10, grace: 200 })).resolves.toBe('forced');
    await expect(outcome).resolves.toBe('cut');
  });
});
