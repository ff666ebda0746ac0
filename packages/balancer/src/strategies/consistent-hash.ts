import { checkInteger, checkKnownKeys, InvalidOptionError } from '@koa-fleet/errors';
import type { Peer } from '../backend.js';
import { hash32 } from './hash32.js';
import type { PickContext, Strategy } from './strategy.js';

/** What a request is hashed on: the client's address, a cookie or a request header. */
export type HashKey = 'ip' | `cookie:${string}` | `header:${string}`;

export interface HashStrategyConfig {
  name: 'hash';
  /** Default 'ip'. A request without the cookie or header is hashed on its address. */
  key?: HashKey;
  /** Points on the ring per unit of weight. Default 160, as nginx's `hash … consistent`. */
  virtualNodes?: number;
}

export interface ResolvedHashOptions {
  key: { from: 'ip' } | { from: 'cookie' | 'header'; name: string };
  virtualNodes: number;
}

const HASH_KEYS = Object.keys({
  name: true,
  key: true,
  virtualNodes: true,
} satisfies Record<keyof HashStrategyConfig, true>);

export function resolveHashOptions(path: string, input: HashStrategyConfig): ResolvedHashOptions {
  checkKnownKeys(path, input, HASH_KEYS);
  return {
    key: resolveKey(`${path}.key`, input.key ?? 'ip'),
    virtualNodes: checkInteger(`${path}.virtualNodes`, input.virtualNodes ?? 160, {
      min: 1,
      max: 10_000,
    }),
  };
}

function resolveKey(path: string, key: unknown): ResolvedHashOptions['key'] {
  if (key === 'ip') return { from: 'ip' };
  const match =
    typeof key === 'string' ? /^(cookie|header):([\w!#$%&'*+.^`|~-]+)$/.exec(key) : null;
  if (!match) {
    throw new InvalidOptionError(path, '"ip", "cookie:<name>" or "header:<name>"', key);
  }
  const from = match[1] as 'cookie' | 'header';
  return { from, name: from === 'header' ? match[2]!.toLowerCase() : match[2]! };
}

/**
 * Consistent hashing with virtual nodes (ketama, as nginx's `hash $key consistent`): every
 * backend owns `virtualNodes × weight` points on a ring of 2³² and a key goes to the first point
 * at or after its hash. A backend that is down or leaves only loses its own arcs: its keys move
 * to the next points, every other key stays where it was.
 */
export class ConsistentHash implements Strategy {
  readonly #key: ResolvedHashOptions['key'];
  readonly #virtualNodes: number;
  /** Sorted point hashes and, at the same index, the backend owning the point. */
  #points!: Uint32Array;
  #owners!: Peer[];

  constructor(peers: readonly Peer[], options: ResolvedHashOptions) {
    this.#key = options.key;
    this.#virtualNodes = options.virtualNodes;
    this.rebuild(peers);
  }

  /**
   * A backend's points hash its URL, not its place in the list, so a ring rebuilt without one
   * backend (or with one more, or another weight) keeps every other key where it was.
   */
  rebuild(peers: readonly Peer[]): void {
    const points: { hash: number; peer: Peer }[] = [];
    for (const peer of peers) {
      for (let node = 0; node < this.#virtualNodes * peer.weight; node++) {
        points.push({ hash: hash32(`${peer.url}#${node}`), peer });
      }
    }
    points.sort((a, b) => a.hash - b.hash);
    this.#points = Uint32Array.from(points, (point) => point.hash);
    this.#owners = points.map((point) => point.peer);
  }

  pick(context: PickContext, candidates: readonly Peer[]): Peer {
    const start = this.#firstPointAtOrAfter(hash32(this.keyOf(context)));
    for (let step = 0; step < this.#owners.length; step++) {
      const owner = this.#owners[(start + step) % this.#owners.length]!;
      if (candidates.includes(owner)) return owner;
    }
    return candidates[0]!; // a candidate the ring was not built with
  }

  /** The text a request is hashed on. */
  keyOf(context: PickContext): string {
    const key = this.#key;
    if (key.from === 'header') {
      const value = context.headers[key.name];
      const text = Array.isArray(value) ? value[0] : value;
      if (text) return text;
    } else if (key.from === 'cookie') {
      const text = cookieValue(context.headers.cookie, key.name);
      if (text) return text;
    }
    return context.clientAddress;
  }

  #firstPointAtOrAfter(hash: number): number {
    let low = 0;
    let high = this.#points.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (this.#points[middle]! < hash) low = middle + 1;
      else high = middle;
    }
    return low === this.#points.length ? 0 : low;
  }
}

function cookieValue(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const pair of header.split(';')) {
    const equals = pair.indexOf('=');
    if (equals !== -1 && pair.slice(0, equals).trim() === name) {
      return pair.slice(equals + 1).trim() || undefined;
    }
  }
  return undefined;
}
