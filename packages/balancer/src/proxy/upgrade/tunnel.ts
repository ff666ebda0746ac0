import type { Duplex } from 'node:stream';

/**
 * Joins a client's socket to its backend's once the backend switched protocols (101): bytes go
 * through both ways as they come, with back-pressure, and an end is passed on (the other side
 * is ended in turn). A reset, an error or a close on either side destroys both, so no socket
 * outlives its peer (node-http-proxy's leak) and no socket error reaches the process.
 * Resolves once both sockets are closed.
 */
export async function openTunnel(client: Duplex, upstream: Duplex, head: Buffer): Promise<void> {
  const cut = () => {
    client.destroy();
    upstream.destroy();
  };
  for (const socket of [client, upstream]) {
    socket.on('error', cut);
    socket.once('close', cut);
  }
  if (client.destroyed || upstream.destroyed) {
    cut(); // one side left while the other switched
  } else {
    // What the client sent after its request, before the backend switched.
    if (head.length > 0) upstream.write(head);
    client.pipe(upstream);
    upstream.pipe(client);
  }
  await Promise.all([closed(client), closed(upstream)]);
}

function closed(socket: Duplex): Promise<void> {
  return new Promise((resolve) => (socket.closed ? resolve() : socket.once('close', resolve)));
}
