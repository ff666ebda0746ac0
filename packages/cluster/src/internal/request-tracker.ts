import type { IncomingMessage, Server, ServerResponse } from 'node:http';

/** The header a draining worker puts on every response, so a balancer stops routing to it. */
export const DRAIN_HEADER = 'Fleet-Draining';

/**
 * Counts requests and in-flight responses and marks responses while draining. It listens to the
 * server's own 'request' event, ahead of the app, so it works whatever the app's middleware does.
 */
export class RequestTracker {
  requests = 0;
  inFlight = 0;
  #draining = false;

  attach(server: Server): void {
    server.on('request', (_req: IncomingMessage, res: ServerResponse) => {
      this.requests++;
      this.inFlight++;
      res.once('close', () => this.inFlight--);
      if (this.#draining) markDraining(res);
    });
  }

  startDraining(): void {
    this.#draining = true;
  }
}

function markDraining(res: ServerResponse): void {
  // Connection: close makes Node close the socket after this response, so a keep-alive client
  // learns to reconnect (to another worker) instead of racing our idle-socket close.
  res.setHeader('Connection', 'close');
  res.setHeader(DRAIN_HEADER, '1');
}
