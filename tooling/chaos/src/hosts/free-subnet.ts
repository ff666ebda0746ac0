import { HostNetworkError } from '../errors.js';
import { ip } from './ip-command.js';

/** 10.213.0.0/16: private space no common setup uses (docker takes 172.17/16, libvirt 192.168.122/24). */
const RANGE = '10.213';
const RANGE_START = (10 << 24) | (213 << 16);
const RANGE_END = RANGE_START + 2 ** 16;

function toNumber(address: string): number {
  return address.split('.').reduce((value, octet) => value * 256 + Number(octet), 0);
}

/**
 * The first `10.213.N.0/24` that no address or route of this machine touches, as `10.213.N`: a
 * network the suite can own without shadowing one in use.
 */
export function freeSubnet(): string {
  const used = new Set<number>();
  const text = `${ip(['-4', '-o', 'addr', 'show'])}\n${ip(['-4', 'route', 'show', 'table', 'all'])}`;
  for (const match of text.matchAll(/\b(\d+\.\d+\.\d+\.\d+)(?:\/(\d+))?/g)) {
    const bits = Number(match[2] ?? 32);
    // A default route reaches everything but claims no addresses.
    if (bits === 0) continue;
    const size = 2 ** (32 - bits);
    const start = Math.floor(toNumber(match[1]!) / size) * size;
    // Every /24 of the suite's range this address or route covers (a wide route covers many).
    for (let net = Math.max(start, RANGE_START); net < Math.min(start + size, RANGE_END);) {
      used.add(Math.floor((net - RANGE_START) / 256));
      net = (Math.floor(net / 256) + 1) * 256;
    }
  }
  for (let third = 0; third < 256; third++) if (!used.has(third)) return `${RANGE}.${third}`;
  throw new HostNetworkError(`every /24 of ${RANGE}.0.0/16 is in use on this machine`);
}
