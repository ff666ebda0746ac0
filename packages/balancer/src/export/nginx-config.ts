import type { BalancerConfig } from '../options.js';
import { NEXT_UPSTREAM } from '../proxy/retry-policy.js';
import { hostPort } from './backend-address.js';
import { addCommonNotes } from './common-notes.js';
import { joinParts, nginxBlock } from './config-text.js';
import { engineDuration, nginxSize, readableSize } from './engine-units.js';
import { resolveExport, type ExportInput, type ExportOptions } from './export-options.js';
import { ExportNotes } from './export-notes.js';
import { nginxHeaders } from './nginx-headers.js';
import { nginxUpstream } from './nginx-upstream.js';

/**
 * The balancer's config as nginx's: by default an `upstream` and a `server` block for the
 * `http` context of an existing installation (a file in `conf.d/`), with `full` a whole
 * `nginx.conf`. What open source nginx cannot express as the balancer does is listed in `#`
 * comments at the top. The config is checked as `createBalancer()` checks it, with the same
 * errors.
 */
export function exportNginxConfig(config: BalancerConfig, options?: ExportOptions): string {
  const input = resolveExport(config, options);
  const notes = new ExportNotes();
  const http = httpContext(input, notes);
  const { graceMs } = input.balancer;
  if (!input.full) {
    notes.add(
      `grace (${engineDuration(graceMs)}): nginx's is worker_shutdown_timeout ` +
        `${engineDuration(graceMs)}, in the main context of nginx.conf (written with --full).`,
    );
  }
  const title = input.full
    ? 'nginx.conf exported by koa-fleet-balancer: run it with nginx -c <this file>.'
    : "Exported by koa-fleet-balancer for nginx's http context (a file in conf.d/).";
  const header = notes.render(title);
  if (!input.full) return joinParts([header, ...http]);
  const main = ['worker_processes auto;', `worker_shutdown_timeout ${engineDuration(graceMs)};`];
  return joinParts([header, main, ['events {}'], nginxBlock('http', http.flatMap(withGap))]);
}

/** The maps, the upstream, the server (and the HTTP→HTTPS redirect server), as parts. */
function httpContext(input: ExportInput, notes: ExportNotes): string[][] {
  const { balancer } = input;
  addCommonNotes(input, notes, {
    engine: 'nginx',
    readTimeout: 'proxy_read_timeout',
    drainedBy: 'its requests fail max_fails times',
  });
  if (balancer.healthCheck) {
    const { path, intervalMs, fall, rise } = balancer.healthCheck;
    notes.add(
      `Active health checks (healthCheck) need nginx Plus (health_check uri=${path} ` +
        `interval=${engineDuration(intervalMs)} fails=${fall} passes=${rise}): left out, the ` +
        `backends have passive checks only (max_fails, fail_timeout).`,
    );
  }
  notes.add(
    `With no backend available nginx answers 502; koa-fleet answers 503 with Retry-After: ` +
      `${balancer.retryAfterSeconds}.`,
  );
  const upstream = nginxUpstream(input, notes);
  const headers = nginxHeaders(input, notes);
  const maps = [...upstream.maps, ...headers.maps];
  const servers = [proxyServer(input, headers.directives, notes)];
  const redirect = redirectServer(input);
  if (redirect) servers.push(redirect);
  return [maps, upstream.upstream, ...servers];
}

function proxyServer(input: ExportInput, headers: string[], notes: ExportNotes): string[] {
  const { balancer, name } = input;
  const { client, retry, timeouts, tls } = balancer;
  const readTimeout = engineDuration(Math.max(timeouts.headersMs, timeouts.idleMs));
  notes.add(
    `nginx buffers a whole request body before it sends it, so it can retry any body; ` +
      `koa-fleet streams a body over retryBodyLimit (${readableSize(retry.retryBodyLimit)}) ` +
      `and does not retry it. client_body_buffer_size keeps bodies up to that size in memory.`,
  );
  notes.add(
    `large_client_header_buffers 1 ${nginxSize(client.maxHeaderSize)} bounds the request line ` +
      `and the headers roughly as client.maxHeaderSize does (a request line or header line ` +
      `over it gets 414 or 400; koa-fleet answers 431).`,
  );
  notes.add(
    client.requestTimeoutMs > 0
      ? `client_body_timeout bounds the time between two reads of a body; koa-fleet's ` +
          `client.requestTimeout bounds the whole request.`
      : `client.requestTimeout 0 (none) has no nginx counterpart: client_body_timeout keeps ` +
          `its default, 60s between two reads of a body.`,
  );
  notes.add(
    `proxy_send_timeout (between two writes of a request to a backend) has no koa-fleet ` +
      `counterpart: set to timeouts.idle.`,
  );
  const listen = listenLines(balancer.host, balancer.port, tls ? ' ssl' : '');
  const body = [
    ...listen,
    ...(tls ? [`ssl_certificate ${tls.certFile};`, `ssl_certificate_key ${tls.keyFile};`] : []),
    ...(balancer.logging.accessLog ? [] : ['access_log off;']),
    `client_max_body_size ${nginxSize(client.maxBodySize)};`,
    `large_client_header_buffers 1 ${nginxSize(client.maxHeaderSize)};`,
    `client_header_timeout ${engineDuration(client.headersTimeoutMs)};`,
    ...(client.requestTimeoutMs > 0
      ? [`client_body_timeout ${engineDuration(client.requestTimeoutMs)};`]
      : []),
    `client_body_buffer_size ${nginxSize(retry.retryBodyLimit)};`,
    '',
    ...nginxBlock('location /', [
      `proxy_pass http://${name};`,
      'proxy_http_version 1.1;',
      ...headers,
      `proxy_next_upstream ${NEXT_UPSTREAM.filter((value) => retry.nextUpstream.has(value)).join(' ')};`,
      `proxy_next_upstream_tries ${retry.tries};`,
      `proxy_next_upstream_timeout ${engineDuration(retry.nextUpstreamTimeoutMs)};`,
      `proxy_connect_timeout ${engineDuration(timeouts.connectMs)};`,
      `proxy_read_timeout ${readTimeout};`,
      `proxy_send_timeout ${engineDuration(timeouts.idleMs)};`,
      // The balancer streams a response as it comes, with back-pressure, as nginx unbuffered.
      'proxy_buffering off;',
    ]),
  ];
  return nginxBlock('server', body);
}

/** `tls.httpRedirectPort`: a plain server whose every request gets a 308 to HTTPS. */
function redirectServer(input: ExportInput): string[] | undefined {
  const { host, port, tls } = input.balancer;
  if (tls?.httpRedirectPort === undefined) return undefined;
  const target = port === 443 ? 'https://$host$request_uri' : `https://$host:${port}$request_uri`;
  return nginxBlock('server', [
    ...listenLines(host, tls.httpRedirectPort, ''),
    ...(input.balancer.logging.accessLog ? [] : ['access_log off;']),
    `return 308 ${target};`,
  ]);
}

/**
 * `listen` for the balancer's host: every IPv4 address for 0.0.0.0, both families for `::`
 * (two sockets, so an IPv4 client's address is not IPv4-mapped), else the address itself.
 */
function listenLines(host: string, port: number, suffix: string): string[] {
  if (host === '0.0.0.0') return [`listen ${port}${suffix};`];
  if (host === '::') return [`listen ${port}${suffix};`, `listen [::]:${port}${suffix};`];
  return [`listen ${hostPort(host, port)}${suffix};`];
}

/** A part of the http block, followed by a blank line unless it is the last. */
function withGap(part: string[], index: number, parts: string[][]): string[] {
  return index < parts.length - 1 ? [...part, ''] : part;
}
