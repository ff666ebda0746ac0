import type { IncomingHttpHeaders } from 'node:http';
import type { Peer } from '../backend.js';

/** What a strategy may look at to choose: a hash strategy keys on these. */
export interface PickContext {
  /** The client's address (the forwarded one when the hop before is trusted, see `trustProxy`). */
  readonly clientAddress: string;
  readonly headers: IncomingHttpHeaders;
}

/**
 * Chooses one backend of the candidates for a request. The proxy hands it only backends that may
 * take the request now (up, below `maxConns`, not yet tried by this request, backups only when
 * no primary is left), so a strategy knows nothing of health, retries or backups.
 */
export interface Strategy {
  /** `candidates` is never empty. */
  pick(context: PickContext, candidates: readonly Peer[]): Peer;
  /** A try of `peer` failed: nginx's round robin lowers its effective weight here. */
  failed?(peer: Peer): void;
  /**
   * The set of backends changed (one joined or left) or a weight did; `peers` is the whole set
   * now. The hash ring is rebuilt here, so only the changed backend's keys move.
   */
  rebuild?(peers: readonly Peer[]): void;
  /** The weight the next picks work with, when the strategy keeps one of its own. */
  effectiveWeight?(peer: Peer): number;
}
