import { Peer, type Backend, type ResolvedBackend } from './backend.js';
import type { BackendState, Recovery } from './health/passive-health.js';

export interface BackendChange {
  backend: Backend;
  state: BackendState;
  previous: BackendState;
}

/**
 * The upstream: every backend, primaries and backups, in the configured order (smooth weighted
 * round robin walks them in that order, as nginx does).
 */
export class BackendSet {
  readonly peers: readonly Peer[];

  constructor(
    backends: readonly ResolvedBackend[],
    onChange: (change: BackendChange) => void,
    recovery?: Recovery,
  ) {
    this.peers = backends.map((config) => {
      const peer: Peer = new Peer(
        config,
        {
          mayLeave: () => this.peers.length > 1,
          changed: (state, previous) => onChange({ backend: peer, state, previous }),
        },
        recovery,
      );
      return peer;
    });
  }

  /**
   * The backends a request may go to now, except those it already tried: the available
   * primaries, or — only when none is left — the available backups. Empty when none is.
   */
  candidates(tried: ReadonlySet<Peer>): Peer[] {
    const primaries = this.#available(false, tried);
    return primaries.length > 0 ? primaries : this.#available(true, tried);
  }

  dispose(): void {
    for (const peer of this.peers) peer.health.dispose();
  }

  #available(backup: boolean, tried: ReadonlySet<Peer>): Peer[] {
    const available: Peer[] = [];
    for (const peer of this.peers) {
      if (peer.backup === backup && peer.available && !tried.has(peer)) available.push(peer);
    }
    return available;
  }
}
