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
   * primaries, or — only when none is left — the available backups, or — only when every backend
   * is out — those that are out only because their checks say they are not ready (`unready`).
   * Empty when none is.
   *
   * That last step is Envoy's panic mode: when every backend turns unready at once, it is most
   * often for one reason they share (the database behind them is down), and taking them all out
   * would answer 503 to the routes that do not need it too. Each answers for itself instead.
   */
  candidates(tried: ReadonlySet<Peer>): Peer[] {
    const primaries = this.#available(false, tried);
    if (primaries.length > 0) return primaries;
    const backups = this.#available(true, tried);
    if (backups.length > 0) return backups;
    const unready = this.#peers.filter((peer) => peer.unready && !tried.has(peer));
    const unreadyPrimaries = unready.filter((peer) => !peer.backup);
    return unreadyPrimaries.length > 0 ? unreadyPrimaries : unready;
  }

  /** Every backend is out, and requests go to the unready ones (see candidates()). */
  get failingOpen(): boolean {
    return !this.#peers.some((peer) => peer.available) && this.#peers.some((peer) => peer.unready);
  }

  dispose(): void {
    for (const peer of this.#peers) peer.health.dispose();
  }

  #available(backup: boolean, tried: ReadonlySet<Peer>): Peer[] {
    const available: Peer[] = [];
    for (const peer of this.#peers) {
      if (peer.backup === backup && peer.available && !tried.has(peer)) available.push(peer);
    }
    return available;
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
