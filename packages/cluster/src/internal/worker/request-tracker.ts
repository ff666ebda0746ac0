import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { DRAIN_HEADER } from '@koa-fleet/contracts';

/**
 * Counts requests and in-flight responses and marks responses while draining. It listens to the
 * server's own 'request' event, ahead of the app, so it works whatever the app's middleware does.
 */
export class RequestTracker {
  requests = 0;
  readonly #open = new Set<ServerResponse>();
  #draining = false;
  #announcing = false;

  get inFlight(): number {
    return this.#open.size;
  }

  attach(server: Server): void {
    server.on('request', (_req: IncomingMessage, res: ServerResponse) => {
      this.requests++;
      this.#open.add(res);
      res.once('close', () => this.#open.delete(res));
      if (this.#draining) markDraining(res);
      else if (this.#announcing) res.setHeader(DRAIN_HEADER, '1');
    });
  }

  /**
   * Marks later responses with the drain header only: the worker still keeps its connections
   * (no Connection: close) while a balancer learns to stop sending it new requests.
   */
  announceDraining(): void {
    this.#announcing = true;
  }

  /** Marks every later response, and the in-flight ones whose headers are not sent yet. */
  startDraining(): void {
    this.#draining = true;
    for (const res of this.#open) if (!res.headersSent) markDraining(res);
  }
}

function markDraining(res: ServerResponse): void {
  // Connection: close makes Node close the socket after this response, so a keep-alive client
  // learns to reconnect (to another worker) instead of racing our idle-socket close.
  res.setHeader('Connection', 'close');
  res.setHeader(DRAIN_HEADER, '1');
}
