import { Peer, type Backend, type ResolvedBackend } from './backend.js';
import type { BackendState, Recovery } from './health/passive-health.js';

export interface BackendChange {
  backend: Backend;
  state: BackendState;
  previous: BackendState;
}

/** A change as the set reports it: with the live peer. */
export interface PeerChange extends BackendChange {
  backend: Peer;
}

type Tier = (peer: Peer) => boolean;

/**
 * Where a request looks for a backend, in turn. The last four are nginx's answer to "every peer
 * failed": it forgets the failures and tries them again rather than fail every request for
 * `fail_timeout` — those that still answer their health checks first (Envoy's panic mode). A verdict of "all down" is more often the balancer's view than the truth — a
 * burst of errors under load, or with `--workers` one process's failures taken out in every one —
 * and answering 503 until it expires turns that blip into an outage.
 */
const TIERS: readonly Tier[] = [
  (peer) => !peer.backup && peer.available,
  (peer) => peer.backup && peer.available,
  (peer) => !peer.backup && peer.unready,
  (peer) => peer.backup && peer.unready,
  (peer) => !peer.backup && peer.standsIn,
  (peer) => peer.backup && peer.standsIn,
];

/**
 * The upstream: every backend, primaries and backups, in the configured order (smooth weighted
 * round robin walks them in that order, as nginx does); backends added later go at the end.
 * `peers` is replaced, never changed in place, so a request iterating it is not disturbed.
 */
export class BackendSet {
  readonly #onChange: (change: PeerChange) => void;
  readonly #recovery: Recovery | undefined;
  #peers: readonly Peer[];

  constructor(
    backends: readonly ResolvedBackend[],
    onChange: (change: PeerChange) => void,
    recovery?: Recovery,
  ) {
    this.#onChange = onChange;
    this.#recovery = recovery;
    this.#peers = backends.map((config) => this.#peer(config));
  }

  get peers(): readonly Peer[] {
    return this.#peers;
  }

  /** The backend of `url` (an origin, as resolved), if it is in the set. */
  find(url: string): Peer | undefined {
    return this.#peers.find((peer) => peer.url === url);
  }

  /** A new backend at the end, in rotation at once. */
  add(config: ResolvedBackend): Peer {
    const peer = this.#peer(config);
    this.#peers = [...this.#peers, peer];
    return peer;
  }

  /** Takes a backend out of the set for good (the caller has drained it). */
  remove(peer: Peer): void {
    this.#peers = this.#peers.filter((candidate) => candidate !== peer);
    peer.health.dispose();
  }

  /**
   * The backends a request may go to now, except those it already tried: the available
   * primaries, or — only when none is left — the available backups, or — when every one is
   * down — those only their health holds out (see `standsIn`): first those whose active checks
   * are still answered (`unready`), then the rest. Empty when none is.
   *
   * The last tiers are nginx's "no live upstreams" reset and Envoy's panic mode: when every
   * backend is out at once, it is most often for one reason they share (the database behind them
   * is down, a burst of errors under load), and answering 503 to everything would fail the routes
   * that do not need it too. Each backend answers for itself instead.
   */
  candidates(tried: ReadonlySet<Peer>): Peer[] {
    for (const tier of TIERS) {
      const found = this.#matching(tier, tried);
      if (found.length > 0) return found;
    }
    return [];
  }

  /** Every backend is down, and requests go to them anyway (see candidates()). */
  get failingOpen(): boolean {
    return !this.#peers.some((peer) => peer.available) && this.#peers.some((peer) => peer.standsIn);
  }

  dispose(): void {
    for (const peer of this.#peers) peer.health.dispose();
  }

  #matching(tier: Tier, tried: ReadonlySet<Peer>): Peer[] {
    const found: Peer[] = [];
    for (const peer of this.#peers) {
      if (tier(peer) && !tried.has(peer)) found.push(peer);
    }
    return found;
  }

  #peer(config: ResolvedBackend): Peer {
    const peer: Peer = new Peer(
      config,
      {
        // nginx never takes a lone server out; one the admin holds out does not count.
        mayLeave: () =>
          this.#peers.some((other) => other !== peer && !other.drained && !other.leaving),
        changed: (state, previous) => this.#onChange({ backend: peer, state, previous }),
      },
      this.#recovery,
    );
    return peer;
  }
}
