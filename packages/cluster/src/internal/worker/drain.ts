import type { Server } from 'node:http';
import { Server as NetServer } from 'node:net';

export interface DrainTimes {
  /** How long responses carry Connection: close before idle sockets are closed. */
  drainWindow: number;
  /** Total time from the start of the drain until remaining connections are cut. */
  grace: number;
}

export type DrainOutcome = 'clean' | 'forced';

/**
 * Stops accepting, then lets keep-alive clients leave on their own before closing anything.
 *
 * 1. Close the listening handle only. http.Server#close() would also close idle keep-alive
 *    sockets at once, and a client that is sending on such a socket sees an error
 *    (nodejs/node#60617); net.Server#close() leaves them open. Under node:cluster this also tells
 *    the primary to stop routing new connections here.
 * 2. For `drainWindow`, every response says Connection: close (see RequestTracker), so busy
 *    keep-alive connections end after their current response.
 * 3. Close the sockets still idle, wait for in-flight responses up to `grace`, then cut the rest.
 */
export async function drainServer(server: Server, times: DrainTimes): Promise<DrainOutcome> {
  if (!server.listening) return 'clean';
  let done = false;
  const closed = new Promise<void>((resolve) => {
    NetServer.prototype.close.call(server, () => {
      done = true;
      resolve();
    });
  });
  const window = Math.min(times.drainWindow, times.grace);
  await Promise.race([closed, wait(window)]);
  if (done) return 'clean';
  server.closeIdleConnections();
  await Promise.race([closed, wait(times.grace - window)]);
  if (done) return 'clean';
  server.closeAllConnections();
  return 'forced';
}

function wait(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
