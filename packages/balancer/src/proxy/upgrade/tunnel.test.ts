import { once } from 'node:events';
import { createServer, connect, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { openTunnel } from './tunnel.js';

const servers: ReturnType<typeof createServer>[] = [];
afterEach(() => servers.splice(0).forEach((server) => server.close()));

/** Two ends of one loopback TCP connection: [the outside one, the one a server accepted]. */
async function socketPair(): Promise<[Socket, Socket]> {
  const server = createServer({ allowHalfOpen: true });
  servers.push(server);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  const outside = connect(port, '127.0.0.1');
  const [inside] = (await once(server, 'connection')) as [Socket];
  await once(outside, 'connect');
  outside.on('error', () => {});
  return [outside, inside];
}

/** A client and a backend, with the balancer's two sockets between them joined by a tunnel. */
async function tunnel(head = Buffer.alloc(0)) {
  const [client, clientSide] = await socketPair();
  const [backendSide, backend] = await socketPair();
  const open = openTunnel(clientSide, backendSide, head);
  return { client, backend, clientSide, backendSide, open };
}

const read = async (socket: Socket, bytes: number) => {
  let text = '';
  while (text.length < bytes) text += String((await once(socket, 'data'))[0]);
  return text;
};

describe('openTunnel', () => {
  it('passes bytes both ways, the client’s early ones first', async () => {
    const { client, backend, open } = await tunnel(Buffer.from('early:'));
    client.write('up');
    expect(await read(backend, 8)).toBe('early:up');
    backend.write('down');
    expect(await read(client, 4)).toBe('down');
    client.end();
    backend.on('end', () => backend.end());
    await open;
  });

  it('destroys the other side when one side resets, and settles', async () => {
    const { client, backend, backendSide, open } = await tunnel();
    backend.on('error', () => {});
    backend.resume();
    const backendSawEnd = once(backend, 'end');
    client.resetAndDestroy();
    await open;
    expect(backendSide.destroyed).toBe(true);
    await backendSawEnd; // the backend's connection is closed from the balancer's side
  });

  it('settles at once when a side had already gone', async () => {
    const [client, clientSide] = await socketPair();
    const [, backendSide] = await socketPair();
    clientSide.destroy();
    await once(clientSide, 'close');
    await openTunnel(clientSide, backendSide, Buffer.alloc(0));
    expect(backendSide.destroyed).toBe(true);
    client.destroy();
  });
});
