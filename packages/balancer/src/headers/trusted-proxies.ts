import { BlockList, isIP } from 'node:net';
import { InvalidOptionError } from '@koa-fleet/errors';

/** Named ranges, as proxy-addr (Express) names them. */
const RANGES: Record<string, readonly string[]> = {
  loopback: ['127.0.0.0/8', '::1/128'],
  private: ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', 'fc00::/7'],
};

/**
 * Which hops before the balancer may set X-Forwarded-* and Forwarded. `true` trusts any,
 * `false` none (their values are replaced by what the balancer sees), a list trusts those
 * addresses, CIDR ranges and named ranges (`loopback`, `private`).
 */
export class TrustedProxies {
  readonly #all: boolean;
  readonly #list: BlockList | undefined;
  readonly #ranges: readonly string[];

  constructor(all: boolean, list?: BlockList, ranges: readonly string[] = []) {
    this.#all = all;
    this.#list = list;
    this.#ranges = ranges;
  }

  /**
   * Whom the option trusts, as it was given: every hop (`true`), none (`false`), or its addresses
   * and CIDR ranges with `loopback` and `private` spelled out — what an exported config lists.
   */
  get trusted(): boolean | readonly string[] {
    return this.#all || (this.#list ? this.#ranges : false);
  }

  trusts(address: string): boolean {
    if (this.#all) return true;
    if (!this.#list) return false;
    const plain = plainAddress(address);
    const family = isIP(plain);
    return family !== 0 && this.#list.check(plain, family === 6 ? 'ipv6' : 'ipv4');
  }

  /**
   * The client's address: walking X-Forwarded-For from the right, the first hop not trusted
   * (the address the socket came from when that one is not trusted itself).
   */
  clientAddress(socketAddress: string, forwardedFor: string | undefined): string {
    let client = plainAddress(socketAddress);
    if (!forwardedFor || !this.trusts(client)) return client;
    const hops = forwardedFor.split(',');
    for (let index = hops.length - 1; index >= 0; index--) {
      const hop = hops[index]!.trim();
      if (!hop) continue;
      client = hop;
      if (!this.trusts(hop)) break;
    }
    return client;
  }
}

/** `::ffff:10.0.0.1` (an IPv4 client on a dual-stack socket) is `10.0.0.1`. */
export function plainAddress(address: string): string {
  return address.startsWith('::ffff:') && isIP(address.slice(7)) === 4 ? address.slice(7) : address;
}

export function resolveTrustProxy(value: unknown): TrustedProxies {
  if (typeof value === 'boolean') return new TrustedProxies(value);
  if (!Array.isArray(value)) {
    throw new InvalidOptionError('trustProxy', 'true, false or a list of addresses', value);
  }
  const list = new BlockList();
  const ranges: string[] = [];
  value.forEach((entry: unknown, index) => addEntry(list, ranges, `trustProxy[${index}]`, entry));
  return new TrustedProxies(false, list, ranges);
}

function addEntry(list: BlockList, ranges: string[], path: string, entry: unknown): void {
  const expected = 'an IP address, a CIDR range or "loopback"/"private"';
  if (typeof entry !== 'string') throw new InvalidOptionError(path, expected, entry);
  const named = RANGES[entry];
  if (named) {
    named.forEach((range) => addEntry(list, ranges, path, range));
    return;
  }
  const [address = '', bits, extra] = entry.split('/');
  const family = isIP(address);
  const prefix = bits === undefined ? undefined : Number(bits);
  const maxBits = family === 6 ? 128 : 32;
  if (
    family === 0 ||
    extra !== undefined ||
    (prefix !== undefined && !(Number.isInteger(prefix) && prefix >= 0 && prefix <= maxBits))
  ) {
    throw new InvalidOptionError(path, expected, entry);
  }
  const type = family === 6 ? 'ipv6' : 'ipv4';
  if (prefix === undefined) list.addAddress(address, type);
  else list.addSubnet(address, prefix, type);
  ranges.push(entry);
}
