import type { ResolvedBackend } from '../backend.js';
import type { ResolvedHealthCheck } from '../health/active-health.js';
import type { NextUpstream } from '../proxy/retry-policy.js';
import { backendAddress } from './backend-address.js';
import { haproxySection } from './config-text.js';
import { engineDuration, readableSize } from './engine-units.js';
import type { ExportInput } from './export-options.js';
import type { ExportNotes } from './export-notes.js';

/** HAProxy's weights go from 0 to 256. */
const MAX_WEIGHT = 256;

/** What of `nextUpstream` HAProxy's `retry-on` can say, keyword for keyword. */
const RETRY_ON: Partial<Record<NextUpstream, string[]>> = {
  error: ['conn-failure', 'empty-response'],
  timeout: ['response-timeout'],
  invalid_header: ['junk-response'],
  http_500: ['500'],
  http_502: ['502'],
  http_503: ['503'],
  http_504: ['504'],
  http_403: ['403'],
  http_404: ['404'],
};

/** Cookie and header names HAProxy's config reads as they are, unquoted. */
const PLAIN_NAME = /^[A-Za-z0-9_.-]+$/;

/**
 * HAProxy's backend: the strategy as `balance`, a server line per backend with its checks,
 * `retries` and `retry-on` for `nextUpstream`, the timeouts, and the 503 with `Retry-After`.
 */
export function haproxyBackend(input: ExportInput, notes: ExportNotes): string[] {
  const { balancer, name } = input;
  const { backends, timeouts, healthCheck, retryAfterSeconds } = balancer;
  const body = ['mode http', ...balanceLines(input, notes)];
  body.push(
    `timeout connect ${engineDuration(timeouts.connectMs)}`,
    `timeout server ${engineDuration(Math.max(timeouts.headersMs, timeouts.idleMs))}`,
  );
  if (healthCheck) {
    body.push(
      `timeout check ${engineDuration(healthCheck.timeoutMs)}`,
      'option httpchk',
      `http-check send meth GET uri ${healthCheck.path}`,
      // A check passes on a 2xx or 3xx that does not say the backend is draining.
      'http-check expect status 200-399',
      'http-check expect ! hdr name fleet-draining',
    );
  }
  body.push(...retryLines(input, notes));
  if (backends.filter((backend) => backend.backup).length > 1) body.push('option allbackups');
  body.push(
    'http-reuse safe',
    `http-error status 503 content-type "text/plain; charset=utf-8" string ` +
      `"no backend is available" hdr Retry-After ${retryAfterSeconds}`,
  );
  body.push(...serverLines(input, notes));
  return haproxySection(`backend ${name}`, body);
}

function balanceLines(input: ExportInput, notes: ExportNotes): string[] {
  const { strategy } = input.balancer;
  switch (strategy.name) {
    case 'round-robin':
      return ['balance roundrobin'];
    case 'least-conn':
      return ['balance leastconn'];
    case 'random-two':
      return ['balance random(2)'];
    case 'hash':
      break;
  }
  const { key } = strategy;
  if (key.from === 'ip') return ['balance source', 'hash-type consistent'];
  if (!PLAIN_NAME.test(key.name)) {
    notes.add(
      `HAProxy's config cannot name the ${key.from} ${key.name} (strategy.key) as it is: ` +
        `requests are hashed on the client address instead.`,
    );
    return ['balance source', 'hash-type consistent'];
  }
  // As the balancer does, a request without the cookie or header is hashed on its address.
  const variable = `txn.${input.name}_hash_key`;
  const fetch = key.from === 'cookie' ? `req.cook(${key.name})` : `req.fhdr(${key.name})`;
  return [
    `http-request set-var(${variable}) ${fetch}`,
    `http-request set-var(${variable}) src unless { var(${variable}) -m found }`,
    `balance hash var(${variable})`,
    'hash-type consistent',
  ];
}

function retryLines(input: ExportInput, notes: ExportNotes): string[] {
  const { retry, backends } = input.balancer;
  if (retry.nextUpstream.has('off')) return ['retries 0', 'retry-on none'];
  const keywords = [...retry.nextUpstream].flatMap((value) => RETRY_ON[value] ?? []);
  if (retry.nextUpstream.has('http_429')) {
    notes.add(`HAProxy's retry-on has no 429: http_429 (nextUpstream) is left out.`);
  }
  if (retry.nextUpstream.has('error') !== retry.nextUpstream.has('timeout')) {
    notes.add(
      `HAProxy's conn-failure (retry-on) covers refused connections and connect timeouts ` +
        `alike; nextUpstream lists only one of error and timeout.`,
    );
  }
  if (retry.nextUpstreamTimeoutMs > 0) {
    notes.add(
      `nextUpstreamTimeout (${engineDuration(retry.nextUpstreamTimeoutMs)}) has no HAProxy ` +
        `counterpart: left out, retries are bounded by their number only.`,
    );
  }
  notes.add(
    `HAProxy retries a request only when all of it fits in one buffer (tune.bufsize), not up ` +
      `to retryBodyLimit (${readableSize(retry.retryBodyLimit)}); a redispatched retry may go ` +
      `to the server that just failed, where koa-fleet tries each backend at most once.`,
  );
  // `tries` 0 is every backend once: one try, then one retry per other backend.
  const retries = retry.tries > 0 ? retry.tries - 1 : backends.length - 1;
  const lines = [
    `retries ${retries}`,
    `retry-on ${keywords.length > 0 ? [...new Set(keywords)].join(' ') : 'none'}`,
  ];
  if (!retry.nextUpstream.has('non_idempotent')) {
    // A refused connection is still retried: the request never reached a backend.
    lines.push('http-request disable-l7-retry if { method POST PATCH LOCK }');
  }
  lines.push('option redispatch 1');
  return lines;
}

function serverLines(input: ExportInput, notes: ExportNotes): string[] {
  const { backends, healthCheck, keepAlive, retry } = input.balancer;
  const heaviest = Math.max(...backends.map((backend) => backend.weight));
  const scale = heaviest > MAX_WEIGHT ? MAX_WEIGHT / heaviest : 1;
  if (scale < 1) {
    notes.add(
      `HAProxy's weights go up to ${MAX_WEIGHT}: every weight is scaled by ` +
        `${MAX_WEIGHT}/${heaviest} and rounded.`,
    );
  }
  const lone = backends.length === 1;
  const passive = backends.some((backend) => backend.health.maxFails > 0) && !lone;
  // The balancer counts a 5xx as a failure only when nextUpstream lists one; layer 7 counts them.
  const layer7 = [...retry.nextUpstream].some((value) => /^http_5/.test(value));
  if (passive) {
    notes.add(
      `Passive health: HAProxy takes a server out after maxFails errors in a row (observe ` +
        `${layer7 ? 'layer7' : 'layer4'} error-limit, counting ${layer7 ? 'any 5xx but 501 and 505' : 'connection errors and timeouts only'}), ` +
        `not maxFails within failTimeout, and only its checks bring it back` +
        (healthCheck
          ? '.'
          : `: a TCP check every failTimeout (check inter, rise 1) stands in for failTimeout.`),
    );
  }
  if (lone && healthCheck) {
    notes.add(
      `HAProxy takes a lone server out when its checks fail; koa-fleet never takes out its ` +
        `only backend.`,
    );
  }
  if (!lone && healthCheck) {
    notes.add(
      `HAProxy answers 503 once every server fails its checks; koa-fleet then sends requests ` +
        `to the servers whose checks still get an answer (unready, not gone).`,
    );
  }
  if (backends.some((backend) => backend.maxConns > 0)) {
    notes.add(
      `A request that finds every server at its maxconn waits in HAProxy's queue (timeout ` +
        `queue); koa-fleet answers it 503 at once.`,
    );
  }
  const withoutCheck = backends.filter(
    (backend) => backend.slowStartMs > 0 && !healthCheck && (lone || backend.health.maxFails === 0),
  );
  if (withoutCheck.length > 0) {
    notes.add(
      `HAProxy's slowstart needs a server's checks to see it come back: it does nothing for a ` +
        `backend without healthCheck or maxFails.`,
    );
  }
  notes.add(
    `pool-max-conn ${keepAlive.connections} bounds the idle connections kept to a server, and ` +
      `pool-purge-delay closes half of them each ${engineDuration(keepAlive.idleTimeoutMs)}; ` +
      `koa-fleet's keepAlive bounds all connections to one backend and closes each after ` +
      `idleTimeout unused.`,
  );
  const used = new Set<string>();
  return backends.map((backend) => {
    const address = backendAddress(backend.url);
    const parts = [
      `server ${serverName(address, used)} ${address}`,
      `weight ${Math.max(1, Math.round(backend.weight * scale))}`,
    ];
    if (backend.maxConns > 0) parts.push(`maxconn ${backend.maxConns}`);
    parts.push(...checkParts(backend, healthCheck, lone, layer7 ? 'layer7' : 'layer4'));
    if (backend.slowStartMs > 0) parts.push(`slowstart ${engineDuration(backend.slowStartMs)}`);
    parts.push(
      `pool-max-conn ${keepAlive.connections}`,
      `pool-purge-delay ${engineDuration(keepAlive.idleTimeoutMs)}`,
    );
    if (backend.backup) parts.push('backup');
    return parts.join(' ');
  });
}

/**
 * `check` with the active checks' rhythm, and `observe` for passive health (HAProxy observes
 * only servers it checks). Without active checks, a TCP check every `failTimeout` is what
 * brings a server that failed back, as the end of `failTimeout` does in the balancer.
 */
function checkParts(
  backend: ResolvedBackend,
  healthCheck: ResolvedHealthCheck | undefined,
  lone: boolean,
  layer: 'layer4' | 'layer7',
): string[] {
  const { maxFails, failTimeoutMs } = backend.health;
  const parts: string[] = [];
  if (healthCheck) {
    const { intervalMs, rise, fall } = healthCheck;
    parts.push(`check inter ${engineDuration(intervalMs)} rise ${rise} fall ${fall}`);
  } else if (maxFails > 0 && !lone) {
    parts.push(`check inter ${engineDuration(failTimeoutMs)} rise 1 fall ${maxFails}`);
  }
  if (maxFails > 0 && !lone) {
    parts.push(`observe ${layer} error-limit ${maxFails} on-error mark-down`);
  }
  return parts;
}

/** The server's address as its name (`127.0.0.1:3001`, `::1:3001`), in the characters HAProxy allows. */
function serverName(address: string, used: Set<string>): string {
  const base = address.replace(/[[\]]/g, '').replace(/[^A-Za-z0-9_.:-]/g, '_');
  let name = base;
  for (let n = 2; used.has(name); n++) name = `${base}_${n}`;
  used.add(name);
  return name;
}
