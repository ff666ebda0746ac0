import type { ResolvedBackend } from '../backend.js';
import type { ResolvedStrategy } from '../strategies/choose-strategy.js';
import { backendAddress } from './backend-address.js';
import { nginxBlock } from './config-text.js';
import { engineDuration } from './engine-units.js';
import type { ExportInput } from './export-options.js';
import type { ExportNotes } from './export-notes.js';

/** nginx's upstream: the strategy, a server line per backend, and the kept-alive connections. */
export interface NginxUpstream {
  /** `map` blocks for the http context (the hash key). */
  maps: string[];
  upstream: string[];
}

/** Shared memory for the upstream's state: each worker then sees every backend's failures and connections. */
const ZONE_SIZE = '64k';

export function nginxUpstream(input: ExportInput, notes: ExportNotes): NginxUpstream {
  const { balancer, name } = input;
  const { strategy, backends, keepAlive } = balancer;
  const { maps, directive } = strategyDirective(strategy, name, notes);
  // nginx refuses `backup` with hash and random: their keys and draws have no second tier.
  const backupsFit = strategy.name === 'round-robin' || strategy.name === 'least-conn';
  if (!backupsFit && backends.some((backend) => backend.backup)) {
    notes.add(
      `nginx has no backup servers with the ${strategy.name} strategy: the backups are left ` +
        `commented out in the upstream, and nothing is sent to them.`,
    );
  }
  const slowStart = backends.filter((backend) => backend.slowStartMs > 0);
  if (slowStart.length > 0) {
    notes.add(
      `Slow start (slowStart, server … slow_start=${engineDuration(slowStart[0]!.slowStartMs)}) ` +
        `needs nginx Plus: left out, a backend that comes back gets its full weight at once.`,
    );
  }
  notes.add(
    `keepalive ${keepAlive.connections} bounds the idle connections each worker keeps to the ` +
      `backends; koa-fleet's keepAlive.connections bounds all connections to one backend ` +
      `(more requests wait for one).`,
  );
  const body = [
    `zone ${name} ${ZONE_SIZE};`,
    ...(directive ? [directive] : []),
    ...backends.map((backend) => serverLine(backend, backupsFit)),
    `keepalive ${keepAlive.connections};`,
    `keepalive_timeout ${engineDuration(keepAlive.idleTimeoutMs)};`,
  ];
  return { maps, upstream: nginxBlock(`upstream ${name}`, body) };
}

function serverLine(backend: ResolvedBackend, backupsFit: boolean): string {
  const parts = [
    `server ${backendAddress(backend.url)}`,
    `weight=${backend.weight}`,
    `max_fails=${backend.health.maxFails}`,
    `fail_timeout=${engineDuration(backend.health.failTimeoutMs)}`,
  ];
  if (backend.maxConns > 0) parts.push(`max_conns=${backend.maxConns}`);
  if (backend.backup) parts.push('backup');
  const line = `${parts.join(' ')};`;
  return backend.backup && !backupsFit ? `# ${line}` : line;
}

/** `least_conn;`, `random two least_conn;`, `hash … consistent;` — nothing for round robin. */
function strategyDirective(
  strategy: ResolvedStrategy,
  name: string,
  notes: ExportNotes,
): { maps: string[]; directive: string } {
  switch (strategy.name) {
    case 'round-robin':
      return { maps: [], directive: '' };
    case 'least-conn':
      return { maps: [], directive: 'least_conn;' };
    case 'random-two':
      return { maps: [], directive: 'random two least_conn;' };
    case 'hash':
      break;
  }
  const { key } = strategy;
  if (key.from === 'ip') return { maps: [], directive: 'hash $remote_addr consistent;' };
  const variable = requestVariable(key.from, key.name);
  if (!variable) {
    notes.add(
      `nginx has no variable for the ${key.from} ${key.name} (strategy.key): requests are ` +
        `hashed on the client address instead.`,
    );
    return { maps: [], directive: 'hash $remote_addr consistent;' };
  }
  // As the balancer does, a request without the cookie or header is hashed on its address.
  const hashKey = `$${name}_hash_key`;
  const map = nginxBlock(`map ${variable} ${hashKey}`, [
    `"" $remote_addr;`,
    `default ${variable};`,
  ]);
  return { maps: map, directive: `hash ${hashKey} consistent;` };
}

/**
 * `$cookie_sid`, `$http_x_user`: the variable nginx reads a cookie or a request header into, or
 * undefined when the name has characters a variable name cannot hold.
 */
export function requestVariable(from: 'cookie' | 'header', name: string): string | undefined {
  if (from === 'cookie') return /^[A-Za-z0-9_]+$/.test(name) ? `$cookie_${name}` : undefined;
  // nginx drops a header whose name has anything but letters, digits and "-" (and "_" only
  // with underscores_in_headers), and names its variable with "_" for "-".
  return /^[a-z0-9-]+$/.test(name) ? `$http_${name.replace(/-/g, '_')}` : undefined;
}
