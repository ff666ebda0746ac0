import { hostPort } from './backend-address.js';
import { haproxySection, headerCase } from './config-text.js';
import { engineDuration, readableSize } from './engine-units.js';
import type { ExportInput } from './export-options.js';
import type { ExportNotes } from './export-notes.js';

/** Header names HAProxy's config reads as they are. */
const PLAIN_HEADER = /^[A-Za-z0-9_.-]+$/;

/**
 * HAProxy's frontend: where it listens (HTTPS, and the redirect port), the client's timeouts
 * and limits, and the request headers as the balancer writes them.
 */
export function haproxyFrontend(input: ExportInput, notes: ExportNotes): string[] {
  const { balancer, name } = input;
  const { client, timeouts, tls, logging } = balancer;
  const body = ['mode http', ...bindLines(input, notes)];
  if (tls?.httpRedirectPort !== undefined) {
    // The redirect port's requests are answered here; none reaches the backend.
    const port = balancer.port === 443 ? '' : `:${balancer.port}`;
    body.push(
      `http-request redirect location https://%[req.hdr(host),field(1,:)]${port}` +
        `%[capture.req.uri] code 308 unless { ssl_fc }`,
    );
    notes.add(
      `The HTTPS redirect takes the name in Host up to its first ":", so an IPv6 address in ` +
        `Host is not redirected correctly.`,
    );
  }
  body.push(...(logging.accessLog ? ['log global', 'option httplog'] : ['no log']));
  if (logging.accessLog && !input.full) {
    notes.add(`The access log needs a log line in HAProxy's global section.`);
  }
  notes.add(
    client.requestTimeoutMs > 0
      ? `timeout client bounds a client's silence; koa-fleet's client.requestTimeout bounds ` +
          `the whole request.`
      : `client.requestTimeout 0 (none) has no HAProxy counterpart: timeout client is ` +
          `timeouts.idle.`,
  );
  body.push(
    `timeout client ${engineDuration(client.requestTimeoutMs || timeouts.idleMs)}`,
    `timeout http-request ${engineDuration(client.headersTimeoutMs)}`,
  );
  if (client.maxBodySize > 0) {
    body.push(
      `http-request deny deny_status 413 if { req.hdr_val(content-length) gt ${client.maxBodySize} }`,
    );
    notes.add(
      `client.maxBodySize (${readableSize(client.maxBodySize)}) is checked against ` +
        `Content-Length only: a chunked body is not bounded.`,
    );
  }
  body.push(...forwardingLines(input, notes), `default_backend ${name}`);
  return haproxySection(`frontend ${name}`, body);
}

function bindLines(input: ExportInput, notes: ExportNotes): string[] {
  const { host, port, tls } = input.balancer;
  let ssl = '';
  if (tls) {
    ssl = ` ssl crt ${tls.certFile} alpn http/1.1`;
    if (tls.keyFile !== tls.certFile && tls.keyFile !== `${tls.certFile}.key`) {
      notes.add(
        `HAProxy reads the private key from the certificate's file, or from ${tls.certFile}.key: ` +
          `put ${tls.keyFile} there (or append it to the certificate).`,
      );
    }
  }
  const lines = binds(host, port).map((bind) => `bind ${bind}${ssl}`);
  if (tls?.httpRedirectPort !== undefined) {
    lines.push(...binds(host, tls.httpRedirectPort).map((bind) => `bind ${bind}`));
  }
  return lines;
}

/** Every IPv4 address for 0.0.0.0; both families (two sockets) for `::`; else the address. */
function binds(host: string, port: number): string[] {
  if (host === '0.0.0.0') return [`:${port}`];
  if (host === '::') return [`:${port}`, `[::]:${port} v6only`];
  return [hostPort(host, port)];
}

/**
 * X-Forwarded-For (`option forwardfor`), -Proto and -Host, and RFC 7239 Forwarded: a client's
 * own values are removed unless a trusted hop sent them, then the balancer's are added where
 * none is left. Via both ways, and the request id.
 */
function forwardingLines(input: ExportInput, notes: ExportNotes): string[] {
  const { balancer, name } = input;
  const { forwarding, tls } = balancer;
  const lines: string[] = [];
  const trusted = forwarding.trust.trusted;
  const trustsNone = trusted === false || (Array.isArray(trusted) && trusted.length === 0);
  let unlessTrusted = '';
  if (Array.isArray(trusted) && trusted.length > 0) {
    lines.push(`acl ${name}_trusted src ${trusted.join(' ')}`);
    unlessTrusted = ` unless ${name}_trusted`;
  }
  if (trustsNone || unlessTrusted) {
    for (const header of [
      'X-Forwarded-For',
      'X-Forwarded-Proto',
      'X-Forwarded-Host',
      'Forwarded',
    ]) {
      lines.push(`http-request del-header ${header}${unlessTrusted}`);
    }
  }
  const proto = tls ? 'https' : 'http';
  const variable = (what: string) => `txn.${name}_${what}`;
  lines.push(
    'option forwardfor',
    `http-request set-header X-Forwarded-Proto ${proto} unless { req.hdr(x-forwarded-proto) -m found }`,
    'http-request set-header X-Forwarded-Host %[req.hdr(host)] if { req.hdr(host) -m found } ' +
      '!{ req.hdr(x-forwarded-host) -m found }',
    // The Forwarded element: an IPv6 node and a host with a port are quoted (RFC 7239 §4).
    `http-request set-var-fmt(${variable('for')}) "\\"[%[src]]\\"" if { src -m sub : }`,
    `http-request set-var-fmt(${variable('for')}) "%[src]" unless { var(${variable('for')}) -m found }`,
    `http-request set-var-fmt(${variable('host')}) ";host=%[req.hdr(host)]" ` +
      'if { req.hdr(host) -m reg ^[A-Za-z0-9_.-]+$ }',
    `http-request set-var-fmt(${variable('host')}) ";host=\\"%[req.hdr(host)]\\"" ` +
      `if { req.hdr(host) -m found } !{ var(${variable('host')}) -m found }`,
    `http-request set-var-fmt(${variable('forwarded')}) ` +
      `"for=%[var(${variable('for')})]%[var(${variable('host')})];proto=${proto}"`,
    `http-request set-header Forwarded "%[req.fhdr(forwarded)], %[var(${variable('forwarded')})]" ` +
      'if { req.fhdr(forwarded) -m found }',
    `http-request set-header Forwarded "%[var(${variable('forwarded')})]" ` +
      'unless { req.fhdr(forwarded) -m found }',
  );
  if (forwarding.via) {
    lines.push(
      `http-request add-header Via "%[req.ver] ${forwarding.via}"`,
      `http-response add-header Via "1.1 ${forwarding.via}"`,
    );
  }
  const header = forwarding.requestIdHeader;
  if (header && PLAIN_HEADER.test(header)) {
    // As the balancer does: the client's id when it is plain printable text, else a new UUID.
    lines.push(
      `http-request set-header ${headerCase(header)} %[uuid] ` +
        `unless { req.fhdr(${header}) -m reg ^[!-~]{1,200}$ }`,
    );
  } else if (header) {
    notes.add(
      `HAProxy's config cannot name the request id header ${header} (requestId): left out.`,
    );
  }
  return lines;
}
