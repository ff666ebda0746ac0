import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Pool } from 'undici';
import type { Peer } from '../backend.js';
import { Exchange } from './exchange.js';
import type { ProxyContext } from './proxy-context.js';
import { createUpstreamPool, type ResolvedKeepAlive } from './upstream-pool.js';

/**
 * The proxy core: a keep-alive pool per backend, and an Exchange per client request. It holds a
 * Strategy without knowing which one, and counts requests in flight so a stop can wait for them.
 */
export class ReverseProxy {
  readonly #context: ProxyContext;
  readonly #pools: Map<Peer, Pool>;
  #inFlight = 0;
  #idle: { promise: Promise<void>; resolve: () => void } | undefined;

  constructor(context: Omit<ProxyContext, 'pools'>, keepAlive: ResolvedKeepAlive) {
    this.#pools = new Map(
      context.backends.peers.map((peer) => [
        peer,
        createUpstreamPool(peer.url, keepAlive, context.timeouts),
      ]),
    );
    this.#context = { ...context, pools: this.#pools };
  }

  get inFlight(): number {
    return this.#inFlight;
  }

  /** Handles one request; never throws (a failure is the client's error answer). */
  handle = (req: IncomingMessage, res: ServerResponse): void => {
    this.#inFlight++;
    new Exchange(this.#context, req, res)
      .run()
      .catch((error: unknown) => {
        // A bug of ours, not the backend's: say so, and do not leave the client hanging.
        this.#context.reporter.unexpected(error);
        res.destroy();
      })
      .finally(() => {
        if (--this.#inFlight === 0) {
          this.#idle?.resolve();
          this.#idle = undefined;
        }
      });
  };

  /** Resolves once no request is in flight. */
  idle(): Promise<void> {
    if (this.#inFlight === 0) return Promise.resolve();
    if (!this.#idle) {
      let resolve!: () => void;
      const promise = new Promise<void>((done) => (resolve = done));
      this.#idle = { promise, resolve };
    }
    return this.#idle.promise;
  }

  /** Closes every pooled connection; requests still in flight are cut. */
  async destroy(): Promise<void> {
    await Promise.all([...this.#pools.values()].map((pool) => pool.destroy()));
  }
}
