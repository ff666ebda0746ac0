import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Peer } from '../backend.js';
import { Exchange } from './exchange.js';
import type { ProxyContext } from './proxy-context.js';
import { UpgradeExchange } from './upgrade/upgrade-exchange.js';
import { UpstreamPool, type ResolvedKeepAlive } from '../upstream/upstream-pool.js';

/**
 * The proxy core: a keep-alive pool per backend, an Exchange per client request and an
 * UpgradeExchange per upgrade request. It holds a Strategy without knowing which one, and counts
 * requests and tunnels in flight so a stop can wait for them.
 */
export class ReverseProxy {
  readonly #context: ProxyContext;
  readonly #pools: Map<Peer, UpstreamPool>;
  readonly #newPool: (peer: Peer) => UpstreamPool;
  /** Pools of draining backends, closing once their requests are done. */
  readonly #retiring = new Set<UpstreamPool>();
  readonly #upgrades = new Set<UpgradeExchange>();
  #inFlight = 0;
  #idle: { promise: Promise<void>; resolve: () => void } | undefined;

  constructor(context: Omit<ProxyContext, 'pools'>, keepAlive: ResolvedKeepAlive) {
    this.#newPool = (peer) => new UpstreamPool(peer.url, keepAlive, context.timeouts);
    this.#pools = new Map(context.backends.peers.map((peer) => [peer, this.#newPool(peer)]));
    this.#context = { ...context, pools: this.#pools };
  }

  get inFlight(): number {
    return this.#inFlight;
  }

  /** Handles one request; never throws (a failure is the client's error answer). */
  handle = (req: IncomingMessage, res: ServerResponse): void => {
    this.#track(new Exchange(this.#context, req, res).run(), () => res.destroy());
  };

  /** Handles one upgrade request (the server's 'upgrade' event); never throws either. */
  upgrade = (req: IncomingMessage, socket: Duplex, head: Buffer): void => {
    const exchange = new UpgradeExchange(this.#context, req, socket, head);
    this.#upgrades.add(exchange);
    this.#track(exchange.run(), () => socket.destroy()).finally(() =>
      this.#upgrades.delete(exchange),
    );
  };

  /** Counts one exchange in flight until it is over. */
  #track(run: Promise<void>, cut: () => void): Promise<void> {
    this.#inFlight++;
    return run
      .catch((error: unknown) => {
        // A bug of ours, not the backend's: say so, and do not leave the client hanging.
        this.#context.reporter.unexpected(error);
        cut();
      })
      .finally(() => {
        if (--this.#inFlight === 0) {
          this.#idle?.resolve();
          this.#idle = undefined;
        }
      });
  }

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

  /**
   * The backend is draining: its pooled connections reach a process on its way out, which will
   * close the idle ones (a request written just then would fail). Tries from now on get a fresh
   * pool — whatever listens on the port next, such as a fleet's replacement worker — and the old
   * one closes once its requests in flight are done.
   */
  renewPool(peer: Peer): void {
    const old = this.#pools.get(peer)!;
    this.#pools.set(peer, this.#newPool(peer));
    this.#retiring.add(old);
    void old.close().finally(() => this.#retiring.delete(old));
  }

  /**
   * Fails every try in flight to the backend now (each goes on as the retry rules allow); its
   * next tries open new connections.
   */
  cutPool(peer: Peer): void {
    const old = this.#pools.get(peer)!;
    this.#pools.set(peer, this.#newPool(peer));
    this.#retiring.add(old);
    void old.destroy().finally(() => this.#retiring.delete(old));
  }

  /** A backend joined the set: its own pool. */
  addPool(peer: Peer): void {
    this.#pools.set(peer, this.#newPool(peer));
  }

  /** A backend left the set, its requests done (or out of time): its pool is closed at once. */
  async removePool(peer: Peer): Promise<void> {
    const pool = this.#pools.get(peer);
    this.#pools.delete(peer);
    await pool?.destroy();
  }

  /** Closes every pooled connection and tunnel; requests still in flight are cut. */
  async destroy(): Promise<void> {
    // Node's server no longer holds an upgraded socket: closing it leaves tunnels open.
    for (const exchange of this.#upgrades) exchange.cut();
    const pools = [...this.#pools.values(), ...this.#retiring];
    await Promise.all(pools.map((pool) => pool.destroy()));
  }
}
