import { createServer } from 'node:net';
import type { NamedPort } from './demo-options.js';
import { PortTakenError } from './errors.js';

/**
 * Throws PortTakenError for the first of `ports` something listens on. Checked before anything
 * starts: the cluster would give up only that worker's slot, and the balancer would fail in its
 * own process — one clear line up front says more than either.
 */
export async function checkPortsFree(ports: NamedPort[], host: string): Promise<void> {
  for (const { port, flag } of ports) {
    if (!(await canListen(port, host))) throw new PortTakenError(port, flag);
  }
}

/** False when the port is in use; any other failure (a host that is not ours, EACCES) throws. */
function canListen(port: number, host: string): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', (error: NodeJS.ErrnoException) =>
      error.code === 'EADDRINUSE' ? resolve(false) : reject(error),
    );
    // exclusive: a port a cluster primary holds for its workers counts as taken too.
    server.listen({ port, host, exclusive: true }, () => server.close(() => resolve(true)));
  });
}
