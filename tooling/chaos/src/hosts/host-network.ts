import { HostNetworkError } from '../errors.js';
import { freeSubnet } from './free-subnet.js';
import { ip } from './ip-command.js';
import { runPrefix } from './run-prefix.js';
import { removeStaleHostNetworks } from './stale-host-networks.js';

/** One "host": a network namespace on the suite's bridge, with one address. */
export interface NetnsHost {
  /** `a`, `b`, …: the host's place in the network. */
  name: string;
  /** The namespace, for `spawnNode(entry, { netns })` and `ip netns exec`. */
  netns: string;
  /** Its address on the bridge, e.g. `10.213.0.10`. */
  address: string;
  /** Whether its link is up (linkDown() takes it down). */
  readonly linked: boolean;
  /**
   * Cuts the host off as a lost machine is: its link goes down, and what is sent to it vanishes —
   * connects hang and requests get no answer, nothing is refused or reset.
   */
  linkDown(): void;
  linkUp(): void;
}

export interface HostNetwork {
  /** `kfc<pid>-<n>`: every namespace and link of this network starts with it. */
  prefix: string;
  bridge: string;
  /** This machine's address on the bridge (`10.213.N.1`): where the hosts reach a shared Redis. */
  gateway: string;
  /** `10.213.N.0/24` */
  subnet: string;
  hosts: NetnsHost[];
  /** Removes the namespaces (and what runs in them is cut off), their links and the bridge; idempotent. */
  remove(): void;
}

export interface HostNetworkOptions {
  /** How many hosts, 1 to 8; default 2. */
  hosts?: number;
}

const HOST_NAMES = 'abcdefgh';
/** Tells apart the networks of one run; kept under 100 so a name stays within 15 bytes. */
let networksMade = 0;

/**
 * N hosts in network namespaces, joined by a bridge in this (the root) namespace with an
 * address of its own. Nothing is routed beyond: each namespace knows its /24 and nothing else
 * (no default route, no NAT), so a process in it reaches the other hosts and this machine's
 * bridge address only. Leftovers of killed runs are removed first.
 */
export function createHostNetwork(options: HostNetworkOptions = {}): HostNetwork {
  const count = options.hosts ?? 2;
  if (!Number.isInteger(count) || count < 1 || count > HOST_NAMES.length) {
    throw new HostNetworkError(
      `hosts must be an integer from 1 to ${HOST_NAMES.length}, got ${count}`,
    );
  }
  removeStaleHostNetworks();
  const prefix = `${runPrefix()}${networksMade++ % 100}`;
  const net = freeSubnet();
  const bridge = `${prefix}br`;
  const gateway = `${net}.1`;
  const hosts: NetnsHost[] = [];
  let removed = false;
  const remove = (): void => {
    if (removed) return;
    removed = true;
    process.off('exit', removeAtExit);
    const errors: unknown[] = [];
    // The links first: deleting a veth end takes its pair at once, where a namespace's own
    // links go some time after `ip netns delete` returns (the kernel cleans up in the background).
    const steps = [
      ...hosts.map((host) => ['link', 'delete', host.netns]),
      ['link', 'delete', bridge],
      ...hosts.map((host) => ['netns', 'delete', host.netns]),
    ];
    for (const step of steps) {
      try {
        ip(step);
      } catch (error) {
        errors.push(error);
      }
    }
    if (errors.length > 0) throw errors[0];
  };
  // A test process that ends without its afterAll still removes the network (a SIGKILL leaves
  // it to the next run's removeStaleHostNetworks()).
  const removeAtExit = (): void => {
    try {
      remove();
    } catch {
      // nothing to tell at exit; the next run removes what is left
    }
  };
  process.once('exit', removeAtExit);
  try {
    ip(['link', 'add', bridge, 'type', 'bridge', 'forward_delay', '0']);
    ip(['addr', 'add', `${gateway}/24`, 'dev', bridge]);
    ip(['link', 'set', bridge, 'up']);
    for (let index = 0; index < count; index++) {
      hosts.push(addHost(HOST_NAMES[index]!, `${net}.${10 + index}`, prefix, bridge, index));
    }
  } catch (error) {
    try {
      remove();
    } catch {
      // the first error says more
    }
    throw error;
  }
  return { prefix, bridge, gateway, subnet: `${net}.0/24`, hosts, remove };
}

function addHost(
  name: string,
  address: string,
  prefix: string,
  bridge: string,
  index: number,
): NetnsHost {
  const netns = `${prefix}${name}`;
  // The root end of the veth pair is named as the namespace; its peer is the namespace's eth0.
  const link = netns;
  const mac = `02:6b:66:00:00:${(index + 10).toString(16).padStart(2, '0')}`;
  ip(['netns', 'add', netns]);
  ip(['link', 'add', link, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', netns]);
  ip(['-n', netns, 'link', 'set', 'lo', 'up']);
  ip(['-n', netns, 'link', 'set', 'eth0', 'address', mac]);
  ip(['-n', netns, 'addr', 'add', `${address}/24`, 'dev', 'eth0']);
  ip(['-n', netns, 'link', 'set', 'eth0', 'up']);
  ip(['link', 'set', link, 'master', bridge]);
  ip(['link', 'set', link, 'up']);
  // A fixed neighbour entry: with the link down, ARP would fail after ~3 s and connects would
  // fail fast (EHOSTUNREACH); a lost host does not answer at all, so packets must just vanish.
  ip(['neigh', 'replace', address, 'lladdr', mac, 'dev', bridge, 'nud', 'permanent']);
  let linked = true;
  return {
    name,
    netns,
    address,
    get linked() {
      return linked;
    },
    linkDown() {
      ip(['link', 'set', link, 'down']);
      linked = false;
    },
    linkUp() {
      ip(['link', 'set', link, 'up']);
      linked = true;
    },
  };
}
